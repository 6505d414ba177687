/**
 * Characters that render as nothing or reorder the text around them: each
 * one makes a second name (or email) that reads exactly like the first.
 */
export const INVISIBLES: [string, string][] = [
  ["ZERO WIDTH SPACE", "\u200b"],
  ["ZERO WIDTH NON-JOINER", "\u200c"],
  ["ZERO WIDTH JOINER", "\u200d"],
  ["LEFT-TO-RIGHT MARK", "\u200e"],
  ["RIGHT-TO-LEFT MARK", "\u200f"],
  ["WORD JOINER", "\u2060"],
  ["INVISIBLE SEPARATOR", "\u2063"],
  ["ZERO WIDTH NO-BREAK SPACE (BOM)", "\ufeff"],
  ["LEFT-TO-RIGHT EMBEDDING", "\u202a"],
  ["RIGHT-TO-LEFT EMBEDDING", "\u202b"],
  ["POP DIRECTIONAL FORMATTING", "\u202c"],
  ["LEFT-TO-RIGHT OVERRIDE", "\u202d"],
  ["RIGHT-TO-LEFT OVERRIDE", "\u202e"],
  ["LEFT-TO-RIGHT ISOLATE", "\u2066"],
  ["RIGHT-TO-LEFT ISOLATE", "\u2067"],
  ["FIRST STRONG ISOLATE", "\u2068"],
  ["POP DIRECTIONAL ISOLATE", "\u2069"],
  ["ARABIC LETTER MARK", "\u061c"],
  ["MONGOLIAN VOWEL SEPARATOR", "\u180e"],
  ["SOFT HYPHEN", "\u00ad"],
  ["COMBINING GRAPHEME JOINER", "\u034f"],
  ["HANGUL FILLER", "\u3164"],
  ["VARIATION SELECTOR-16", "\ufe0f"],
  ["TAG LATIN SMALL LETTER A", "\u{e0061}"],
  ["LINE SEPARATOR", "\u2028"],
  ["PARAGRAPH SEPARATOR", "\u2029"],
  ["NUL", "\u0000"],
  ["BACKSPACE", "\u0008"],
  ["ESCAPE", "\u001b"],
  ["LINE FEED", "\n"],
  ["TAB", "\t"],
  ["DELETE", "\u007f"],
  ["C1 CSI", "\u009b"],
  ["NEXT LINE", "\u0085"],
  ["lone surrogate", "\ud800"],
  ["noncharacter", "\ufdd0"],
];

/** Where a typed name or email may carry one: a trailing tab or newline is only whitespace, trimmed like a space. */
export const placements = (ch: string, word: string): string[] => {
  const inner = `${word.slice(0, 1)}${ch}${word.slice(1)}`;
  return /^\s$/.test(ch) ? [inner] : [`${word}${ch}`, inner, `${ch}${word}`];
};
