/** External lead ids a vendor may send and ones Brain must refuse: for the function and for the CHECK constraint. */
const accepted = [
  "0",
  "A",
  "01JD2W3X4K7Q9M2B5N8P",
  "VND-1234567",
  "vnd_abc.def-1",
  "12345678901234567890", // 20 chars
  "a.b_c-D",
  "...", // odd but storable
  "L12AB34CD5",
];
const rejected: Array<[string, unknown]> = [
  ["empty", ""],
  ["21 chars", "123456789012345678901"],
  ["space inside", "VND 12345"],
  ["leading space", " VND1"],
  ["trailing space", "VND1 "],
  ["trailing newline", "VND1\n"],
  ["semicolon", "VND;1"],
  ["hash", "VND#1"],
  ["plus", "VND+1"],
  ["slash", "VND/1"],
  ["ampersand", "a&b"],
  ["question mark", "a?b"],
  ["percent", "a%20b"],
  ["quote", "O'Brien"],
  ["comma", "1,2"],
  ["non-ASCII", "Jörg"],
  ["tab", "a\tb"],
  ["null", null],
  ["number", 12345],
  ["undefined", undefined],
];

export const EXTERNAL_LEAD_ID_CASES = { accepted, rejected };
