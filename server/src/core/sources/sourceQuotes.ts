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

interface Mark {
  at: number;
  char: string;
  double: boolean;
}

/**
 * Finds every quotation of a source with the speaker the text gives it.
 * `names` (people found in the source) help resolve "he said": a person who
 * opens a sentence ("Mr Sanchez visited …") is who "he" most likely is next.
 */
export function findSourceQuotes(text: string, sentences: Sentence[], meta: SourceMeta, names: NameMention[] = []): SourceQuote[] {
  const paragraphs = paragraphSpans(sentences);
  const quotes: Array<SourceQuote & { open: number; close?: number; continues?: boolean; paragraph: number }> = [];
  paragraphs.forEach((p, paragraph) => {
    let open: Mark | undefined;
    for (const mark of marks(text, p)) {
      if (!open) {
        if (canOpen(text, mark, p)) open = mark;
        continue;
      }
      if (mark.double !== open.double) continue; // a single quote inside a double one (or the reverse) is nested speech
      if (canClose(text, mark, p)) {
        push(open.at, mark.at, mark.at);
        open = undefined;
      } else if (mark.char === '\u201c' || mark.char === '\u201e' || mark.char === '\u00ab') {
        // An opening mark while a quotation is open: the earlier one was never closed (“A. “B.”).
        push(open.at, mark.at, undefined);
        open = mark;
      }
    }
    if (open) push(open.at, p.end, undefined, true);

    function push(openAt: number, endAt: number, closeAt: number | undefined, runsOn = false): void {
      let start = openAt + 1;
      let end = endAt;
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      if (end - start < 2) return;
      quotes.push({ start, end, open: openAt, close: closeAt, continues: runsOn, paragraph });
    }
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
  const notPeopleAt = new Set(names.filter((n) => n.kind === 'organisation' || n.kind === 'place').map((n) => n.start));
  const personWords = new Set<string>();
  for (const p of people) for (const word of p.text.split(/[\s-]+/)) personWords.add(word);
  const out: Array<{ name: string; at: number }> = [];
  let j = 0;
  for (const s of sentences) {
    const m = SUBJECT_OPENER.exec(text.slice(s.start, Math.min(s.end, s.start + 120)));
    const named = m && clean(m[1]);
    // One word is a person only if it is part of a person's name found elsewhere ("Sudani", not "Forces asked to withdraw").
    const bare = named?.replace(/^(?:Mr|Mrs|Ms|Dr)\.?\s+/, '');
    const orgOrPlace = notPeopleAt.has(s.start);
    const plausible = !!bare && (/\s/.test(bare) || personWords.has(bare.replace(/^Al-/, '')) || (!orgOrPlace && !/s$/.test(bare)));
    if (named && !PRONOUN.test(named) && plausible) {
      out.push({ name: named.replace(/^(?:Mr|Mrs|Ms|Dr)\.?\s+/, ''), at: s.start });
      continue;
    }
    while (j < people.length && people[j].start < s.start) j++;
    const first = people[j];
    if (!first || first.start >= s.end) continue;
    const lead = text.slice(s.start, first.start);
    if (/["“”]/.test(lead) || lead.split(/\s+/).filter(Boolean).length > 4) continue;
    out.push({ name: first.text, at: first.start });
  }
  return out;
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

/** The quotation marks of a paragraph, in order. (Character codes, not one-character strings: this loop visits every character of the corpus.) */
function marks(text: string, p: Span): Mark[] {
  const found: Mark[] = [];
  for (let i = p.start; i < p.end; i++) {
    const c = text.charCodeAt(i);
    // " and ' are below «, the lowest of the other marks: most characters are ruled out by this first test.
    if (c < 0xab && c !== 0x22 && c !== 0x27) continue;
    if (c === 0x22 || c === 0x201c || c === 0x201d || c === 0x201e || c === 0xab || c === 0xbb) found.push({ at: i, char: text[i], double: true });
    else if (c === 0x27 || c === 0x2018 || c === 0x2019) found.push({ at: i, char: text[i], double: false });
  }
  return found;
}

const isLetter = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

function canOpen(text: string, mark: Mark, p: Span): boolean {
  if (mark.char === '\u201d' || mark.char === '\u00bb') return false;
  const before = mark.at > p.start ? text[mark.at - 1] : undefined;
  const after = text[mark.at + 1];
  if (mark.double) return after !== undefined && !/\s/.test(after);
  // A single mark opens only at a word start ("'end presence'"), never inside or after a word (Iraq's, Shia').
  if (mark.char === '\u2019') return false;
  return !isLetter(before) && isLetter(after);
}

function canClose(text: string, mark: Mark, p: Span): boolean {
  if (mark.char === '\u201c' || mark.char === '\u201e' || mark.char === '\u00ab') return false;
  if (mark.double) return true;
  if (mark.char === '\u2018') return false;
  // A single mark closes after a word and before a non-letter ("presence' of"), not inside one (gov't).
  const after = mark.at + 1 < p.end ? text[mark.at + 1] : undefined;
  return !isLetter(after);
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
