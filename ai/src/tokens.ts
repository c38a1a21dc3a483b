/**
 * Token counts when a provider gives none (local servers often do not): estimated with a real BPE tokenizer
 * (cl100k_base, bundled with js-tiktoken: nothing is downloaded). Other models tokenize differently; the estimate is
 * marked as such wherever it is recorded.
 */
import type { ChatMessage } from './types';

interface Encoding {
  encode(text: string): number[];
}
// js-tiktoken ships a CommonJS build but only ES-module types, which a CommonJS file cannot import: required here,
// typed by hand with the one method used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getEncoding } = require('js-tiktoken') as { getEncoding: (name: 'cl100k_base') => Encoding };

let encoding: Encoding | undefined;
const encoder = () => (encoding ??= getEncoding('cl100k_base')); // loaded on first use: it takes most of a second

/** Tokens of a text. */
export function countTokens(text: string): number {
  return encoder().encode(text).length;
}

/** Tokens of a conversation, with the few tokens chat formats add per message. */
export function countMessageTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + 4 + countTokens(m.content), 3);
}
