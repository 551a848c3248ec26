/**
 * Quotations inside a source and who the source says spoke them.
 *
 * Marks: curly “…”, straight "…", „…“, «…», and single ‘…’ / '…' (headlines
 * quote that way: 'end presence'), mixed as real pages mix them (`“…"`). An
 * apostrophe (Iraq's, gov't, Shia') never opens or closes a quotation. A
 * quotation left open at the end of a paragraph runs to that paragraph's end;
 * when the next paragraph opens with a mark, the speech goes on there (the
 * newspaper convention), and all its pieces share one speaker.
 *
 * Speakers come from the attribution next to the quote: after it
 * (`,” said Al-Sudani`, `,” the Iraqi Prime Minister stated`, `,” he said`) or
 * before it (`He added, “`, `Watson said in a statement: “`, `Al-Sudani
 * pointed out that “`), or from the quotation just before it in the same
 * paragraph (`… stressing that “…”`, `appreciating “…”`). "He", "she" and
 * "they" are resolved to the last speaker the source named.
 */
import type { NameMention, Sentence, SourceMeta, SourceQuote, Span } from '../types';
import * as chars from './chars';

// Bound once: under tsx (tests, benchmark) a call through the import reads a getter every time, which showed in profiles.
const isLetterOrDigitAt = chars.isLetterOrDigitAt;
const isSpaceAt = chars.isSpaceAt;

/** Verbs of speech that attribute a quotation. */
const VERBS =
  'said|says|added|adds|stated|states|told|noted|notes|explained|stressed|affirmed|continued|concluded|confirmed|announced|wrote|declared|insisted|warned|argued|asked|replied|emphasi[sz]ed|indicated|pointed out|expressed|appreciated|called|urged|tweeted|posted|remarked|commented';
const PRONOUN = /^(he|she|they|He|She|They)$/;
/** A named speaker: capitalised words, with the particles names carry ("al-", "bin", "de"). */
const NAME = "(?:(?:Mr|Mrs|Ms|Dr|Gen|Sen)\\.?\\s+)?[\\p{Lu}](?:\\.|[\\p{L}'’-]*)(?:\\s+(?:(?:al|el|bin|ibn|de|da|van|von|der)[- ]?)?[\\p{Lu}](?:\\.|[\\p{L}'’-]*)){0,4}";
/** A described speaker: "the Iraqi prime minister", "the media office of the Iraqi Prime Minister", "the US National Security Council". */
const DESCRIBED =
  "[Tt]he\\s+(?:(?:[\\p{Lu}][\\p{L}'’-]*|of|the|office|ministry|council|prime|foreign|defen[cs]e|interior|media|national|security|state|news|military|iraqi|us|u\\.s\\.)\\s+){0,6}" +
  '(?:minister|president|spokesman|spokeswoman|spokesperson|official|officials|office|statement|council|ministry|agency|army|government|embassy|military|leader|commander|source|sources|[\\p{Lu}][\\p{L}-]*)';
const SPEAKER = `(${NAME}|${DESCRIBED}|he|she|they|He|She|They)`;

/** `,” said Al-Sudani` / `,” the Iraqi Prime Minister stated` / `,” he said` / `”, he said`: attribution after the quote. */
const AFTER_VERB_FIRST = new RegExp(`^[\\s,.]*(?:${VERBS})\\s+${SPEAKER}(?=[\\s,.;:!?)]|$)`, 'u');
const AFTER_SPEAKER_FIRST = new RegExp(`^[\\s,.]*${SPEAKER}\\s+(?:\\p{Ll}+ly\\s+)?(?:${VERBS})\\b`, 'u');
/** `He added, “` / `Watson said in a statement: “` / `Al-Sudani pointed out that “`: attribution before the quote, within its sentence. */
const BEFORE = new RegExp(`${SPEAKER}\\s+(?:\\p{Ll}+ly\\s+)?(?:${VERBS})\\b[^.!?“”"]{0,120}$`, 'u');
/** A cheap first look for BEFORE: a verb of speech in the quotation's sentence at all. */
const VERB_BEFORE = new RegExp(`\\b(?:${VERBS})\\b[^.!?“”"]{0,120}$`, 'u');
/** `… stressing that “` / `appreciating “` / `noting “`: a participle that carries on the last quotation's speaker. */
const CONTINUING = /(?:^|[\s,;])(?:\p{Ll}+ing|and|while)\b[^.!?“”"]{0,40}$|^[\s,;:.]*$/u;

const NOT_SPEAKERS = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Today|Yesterday|Earlier|Later|The|It|This|That|There|In|On|At|According|We|I|You|Our|My)$/;

/** A quotation as the first pass finds it: where its marks are, and its paragraph. */
type FoundQuote = SourceQuote & { open: number; close?: number; continues?: boolean; paragraph: number };

/**
 * Finds every quotation of a source with the speaker the text gives it.
 * `names` (people found in the source) help resolve "he said": a person who
 * opens a sentence ("Mr Sanchez visited …") is who "he" most likely is next.
 */
export function findSourceQuotes(text: string, sentences: Sentence[], meta: SourceMeta, names: NameMention[] = []): SourceQuote[] {
  const paragraphs = paragraphSpans(sentences);
  const quotes: FoundQuote[] = [];
  const marks = quotationMarks(text);
  paragraphs.forEach((p, paragraph) => {
    let open = -1; // the offset of the mark that opened the quotation under way
    let openDouble = false;
    for (let k = firstAtOrAfter(marks, p.start); k < marks.length && marks[k] < p.end; k++) {
      const at = marks[k];
      const c = text.charCodeAt(at);
      if (open < 0) {
        if (canOpen(text, at, c, p)) {
          open = at;
          openDouble = isDoubleMark(c);
        }
        continue;
      }
      if (isDoubleMark(c) !== openDouble) continue; // a single quote inside a double one (or the reverse) is nested speech
      if (canClose(text, at, c, p)) {
        pushQuote(quotes, text, paragraph, open, at, at);
        open = -1;
      } else if (c === 0x201c || c === 0x201e || c === 0xab) {
        // An opening mark while a quotation is open: the earlier one was never closed (“A. “B.”).
        pushQuote(quotes, text, paragraph, open, at, undefined);
        open = at;
        openDouble = true;
      }
    }
    if (open >= 0) pushQuote(quotes, text, paragraph, open, p.end, undefined, true);
  });

  // People who open a sentence, by offset: candidates for a later "he" or "she".
  const subjects = sentenceSubjects(text, sentences, names);
  // Speakers, in reading order, so "he" can look back.
  let lastNamed: { name: string; at: number } | undefined;
  // Quotations are resolved in reading order, so both lists are walked with a cursor (linear in the source's length).
  let nextSubject = 0;
  let subject: { name: string; at: number } | undefined;
  const people = names.filter((n) => n.kind === 'person').sort((a, b) => a.end - b.end);
  let nextPerson = 0;
  let lastPerson: NameMention | undefined;
  const resolve = (at: number): string | undefined => {
    while (nextSubject < subjects.length && subjects[nextSubject].at < at) subject = subjects[nextSubject++];
    while (nextPerson < people.length && people[nextPerson].end <= at) lastPerson = people[nextPerson++];
    if (subject && (!lastNamed || subject.at > lastNamed.at)) {
      // "Sanchez" opening a sentence after quotes by "Mr Sanchez": keep the form the quotes used.
      return lastNamed?.name.endsWith(subject.name) ? lastNamed.name : subject.name;
    }
    // No one named yet by a quotation or as a subject: the last person the text names.
    return lastNamed?.name ?? lastPerson?.text;
  };
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i];
    const p = paragraphs[q.paragraph];
    const afterEnd = q.close !== undefined ? q.close + 1 : q.end;
    const nextOpen = quotes[i + 1]?.paragraph === q.paragraph ? quotes[i + 1].open : p.end;
    const after = text.slice(afterEnd, Math.min(nextOpen, afterEnd + 120));
    const before = text.slice(Math.max(p.start, q.open - 200), q.open);
    const previous = quotes[i - 1];
    let speaker =
      clean(AFTER_VERB_FIRST.exec(after)?.[1]) ??
      clean(AFTER_SPEAKER_FIRST.exec(after)?.[1]) ??
      clean(speakerBefore(before)) ??
      (previous && previous.paragraph === q.paragraph && CONTINUING.test(text.slice(previous.close !== undefined ? previous.close + 1 : previous.end, q.open))
        ? previous.speaker
        : undefined) ??
      // The second paragraph of a speech that ran on: the speaker of its first.
      // A paragraph that opens with a quotation right after one that ended with an attributed quotation (or ran on).
      (previous && previous.paragraph === q.paragraph - 1 && q.open === p.start && quotes[i + 1]?.paragraph !== q.paragraph ? previous.speaker : undefined);
    if (speaker && PRONOUN.test(speaker)) speaker = resolve(q.open);
    if (speaker) lastNamed = { name: speaker, at: q.open };
    q.speaker = speaker ?? (meta.type === 'transcript' ? meta.speaker : undefined);
    // A speech that ran on from the paragraph before, attributed only here: give the first pieces this speaker too.
    for (let j = i - 1; j >= 0 && quotes[j].continues && !quotes[j].speaker && q.speaker; j--) quotes[j].speaker = q.speaker;
  }
  return quotes.map(({ start, end, speaker }) => (speaker ? { start, end, speaker } : { start, end }));
}

/**
 * Who each sentence is about, when a person opens it: a person the names
 * index found in its first four words, or a capitalised name followed by a
 * verb of speech or action ("Al-Sudani pointed out …", "Mr Sanchez visited …").
 */
/** A capitalised name followed by a verb of speech or action, opening a sentence. */
const SUBJECT_OPENER = new RegExp(`^(${NAME})\\s+(?:\\p{Ll}+ly\\s+)?(?:${VERBS}|made|met|visited|thanked|held|received|spoke)\\b`, 'u');

function sentenceSubjects(text: string, sentences: Sentence[], names: NameMention[]): Array<{ name: string; at: number }> {
  const people = names.filter((n) => n.kind === 'person').sort((a, b) => a.start - b.start);
  // Made on first need, for a one-word subject: most sentences open without one.
  let known: { personWords: Set<string>; notPeopleAt: Set<number> } | undefined;
  const out: Array<{ name: string; at: number }> = [];
  let j = 0;
  for (const s of sentences) {
    // SUBJECT_OPENER's match starts with an upper-case letter (a title's M, D, G or S too): any other ASCII character rules it out.
    const c = text.charCodeAt(s.start);
    const m = c >= 0x80 || (c >= 0x41 && c <= 0x5a) ? SUBJECT_OPENER.exec(text.slice(s.start, Math.min(s.end, s.start + 120))) : null;
    const named = m && clean(m[1]);
    // One word is a person only if it is part of a person's name found elsewhere ("Sudani", not "Forces asked to withdraw").
    const bare = named?.replace(/^(?:Mr|Mrs|Ms|Dr)\.?\s+/, '');
    let plausible = !!bare && /\s/.test(bare);
    if (bare && !plausible) {
      if (!known) {
        const personWords = new Set<string>();
        for (const p of people) addWords(p.text, personWords);
        known = { personWords, notPeopleAt: new Set(names.filter((n) => n.kind === 'organisation' || n.kind === 'place').map((n) => n.start)) };
      }
      plausible = known.personWords.has(bare.replace(/^Al-/, '')) || (!known.notPeopleAt.has(s.start) && !/s$/.test(bare));
    }
    if (named && !PRONOUN.test(named) && plausible) {
      out.push({ name: named.replace(/^(?:Mr|Mrs|Ms|Dr)\.?\s+/, ''), at: s.start });
      continue;
    }
    while (j < people.length && people[j].start < s.start) j++;
    const first = people[j];
    if (!first || first.start >= s.end) continue;
    if (!isShortLead(text, s.start, first.start)) continue;
    out.push({ name: first.text, at: first.start });
  }
  return out;
}

/** Adds the words of a name, as `name.split(/[\s-]+/)` gives them, to `words` (without the array split() makes). */
function addWords(name: string, words: Set<string>): void {
  let from = 0;
  let i = 0;
  while (i < name.length) {
    if (isSpaceAt(name, i) || name.charCodeAt(i) === 0x2d) {
      words.add(name.slice(from, i));
      while (i < name.length && (isSpaceAt(name, i) || name.charCodeAt(i) === 0x2d)) i++;
      from = i;
    } else i++;
  }
  words.add(name.slice(from));
}

/** Whether the text from `start` to `end`, before a person's name, has no double quotation mark and at most four words. */
function isShortLead(text: string, start: number, end: number): boolean {
  let words = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x201c || c === 0x201d) return false;
    const space = isSpaceAt(text, i);
    if (!space && !inWord && ++words > 4) return false;
    inWord = !space;
  }
  return true;
}

/** Paragraph spans rebuilt from the sentences (each knows its paragraph). */
function paragraphSpans(sentences: Sentence[]): Span[] {
  const spans: Span[] = [];
  for (const s of sentences) {
    const p = spans[s.paragraph];
    if (p) p.end = Math.max(p.end, s.end);
    else spans[s.paragraph] = { start: s.start, end: s.end };
  }
  return spans.filter(Boolean);
}

/** Adds the quotation between an opening mark at `openAt` and `endAt` (its closing mark, if any, at `closeAt`), trimmed of white space; none shorter than two characters. */
function pushQuote(quotes: FoundQuote[], text: string, paragraph: number, openAt: number, endAt: number, closeAt: number | undefined, runsOn = false): void {
  let start = openAt + 1;
  let end = endAt;
  while (start < end && isSpaceAt(text, start)) start++;
  while (end > start && isSpaceAt(text, end - 1)) end--;
  if (end - start < 2) return;
  quotes.push({ start, end, open: openAt, close: closeAt, continues: runsOn, paragraph });
}

/** Every quotation mark or apostrophe: " “ ” „ « » and ' ‘ ’. */
const QUOTATION_MARK = /["'\u00ab\u00bb\u201c\u201d\u201e\u2018\u2019]/g;

/**
 * The offsets of the quotation marks of the whole text, in order: one search
 * by a regular expression (which skips the text between marks faster than a
 * loop over its characters), shared by all paragraphs.
 */
function quotationMarks(text: string): number[] {
  const found: number[] = [];
  QUOTATION_MARK.lastIndex = 0;
  while (QUOTATION_MARK.test(text)) found.push(QUOTATION_MARK.lastIndex - 1);
  return found;
}

/** The index of the first offset in `sorted` at or after `at` (binary search). */
function firstAtOrAfter(sorted: number[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** " “ ” „ « »: the double marks (the others are ' ‘ ’). */
const isDoubleMark = (c: number) => c === 0x22 || c === 0x201c || c === 0x201d || c === 0x201e || c === 0xab || c === 0xbb;

/** Whether the mark `c` at `at` can open a quotation in paragraph `p`. */
function canOpen(text: string, at: number, c: number, p: Span): boolean {
  if (c === 0x201d || c === 0xbb) return false;
  // A double mark opens before anything but white space, the paragraph's end included (the text goes on).
  if (isDoubleMark(c)) return at + 1 < text.length && !isSpaceAt(text, at + 1);
  // A single mark opens only at a word start ("'end presence'"), never inside or after a word (Iraq's, Shia').
  if (c === 0x2019) return false;
  return !(at > p.start && isLetterOrDigitAt(text, at - 1)) && isLetterOrDigitAt(text, at + 1);
}

/** Whether the mark `c` at `at` can close a quotation in paragraph `p`. */
function canClose(text: string, at: number, c: number, p: Span): boolean {
  if (c === 0x201c || c === 0x201e || c === 0xab) return false;
  if (isDoubleMark(c)) return true;
  if (c === 0x2018) return false;
  // A single mark closes after a word and before a non-letter ("presence' of"), not inside one (gov't).
  return !(at + 1 < p.end && isLetterOrDigitAt(text, at + 1));
}

/** The speaker of `X said: “`, looked for only when a verb of speech stands before the quotation, and only just before that verb. */
function speakerBefore(before: string): string | undefined {
  const verb = VERB_BEFORE.exec(before);
  if (!verb) return undefined;
  return BEFORE.exec(before.slice(Math.max(0, verb.index - 80)))?.[1];
}

/** Trims a speaker phrase to the person it names ("spokeswoman Adrian Watson" → "Adrian Watson") and rejects days and stop words. */
function clean(speaker: string | undefined): string | undefined {
  if (!speaker) return undefined;
  let s = speaker.trim().replace(/[,.;:]+$/, '');
  if (PRONOUN.test(s)) return s;
  if (/^[Tt]he\s/.test(s)) {
    // "the National Security Council spokeswoman Adrian Watson": keep the name at its end when there is one.
    const name = /((?:[\p{Lu}][\p{L}'’-]*\s+){1,3}[\p{Lu}][\p{L}'’-]*)$/u.exec(s)?.[1];
    const words = s.split(/\s+/);
    const wordBefore = words[words.length - (name?.split(/\s+/).length ?? 0) - 1] ?? '';
    if (name && /^\p{Ll}/u.test(wordBefore) && !/^(the|of)$/.test(wordBefore)) s = name;
    return s;
  }
  const first = s.split(/\s+/)[0];
  if (NOT_SPEAKERS.test(first.replace(/['’]s$/, '')) || /['’]s$/.test(s)) return undefined; // "Thursday’s statement"

  return s;
}
