/**
 * The support numbers the demo data is built from, as published on the two vendors' support pages the
 * product is modeled on, written exactly as published (country | numbers). `build-demo-data.ts` runs
 * them through the same importer operators use (`npm run data:import-lines`), so the demo also shows
 * which published forms survive E.164 normalization and which do not.
 */

/** The video-conferencing vendor's table: "ext. 2" reaches technical support (Hong Kong has no menu). */
export const VIDEO_VENDOR_TABLE = `
Country | Support number
United States | +1.888.799.9666 ext. 2
Australia | +61 1800 768 027 ext. 2
Austria | +43 316 231266 ext. 2 | +43 800 802079 ext. 2
Brazil | 0800 761 2618 ext. 2
France | +33 800 94 64 64 ext. 2
Germany | +49 30 80098621 ext. 2 | +49 0800 0010429 ext. 2
Hong Kong | +852 3002 3757
India | 000 800 050 2040 ext. 2
Italy | +39 0761 1811003 ext. 2
Japan | +81 120 427732 ext. 2 | +81 0053 132 0070 ext. 2
Malaysia | +60 1800 81 9551 ext. 2
Mexico | +52 33 1930 4373 ext. 2
New Zealand | +64 800 475 039 ext. 2
Singapore | +65 800 321 1249 ext. 2
Spain | +34 932 207 485 ext. 2
Switzerland | +41 31 560 7204 ext. 2 | +41 0800 117799 ext. 2
United Kingdom | +44 800 368 7314 ext. 2 | +44 20 7039 8961 ext. 2
`;

/** The productivity suite's table: one toll-free number shared by the US and Canada, no menus. */
export const PRODUCTIVITY_SUITE_TABLE = `
Country/region | Phone number
United States and Canada | +1 800 865 9408
Australia | 1 800 197 503
United Kingdom | 0800 032 6417
China | (86) 400-089-0365
`;

/**
 * Not published anywhere: a made-up but valid Warsaw number, so the demo has a line for the Polish
 * prompts. It gets a two-entry menu (1 technical, 2 billing) so billing's hours can be tried locally.
 */
export const DEMO_POLISH_LINE = '+48 22 123 45 67';
