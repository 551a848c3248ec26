/**
 * Article text and metadata from an HTML page. First version: placeholder
 * (to be replaced with @mozilla/readability over linkedom).
 */
import type { SourceMeta } from '../types';

export interface ExtractedHtml {
  text: string;
  meta: SourceMeta;
  fileOffsetAt?: (textOffset: number) => number;
  problem?: string;
}

export function extractHtml(html: string): ExtractedHtml {
  const text = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, '\n');
  return { text, meta: {} };
}
