/**
 * Hostile strings, as a stock code, a file name or a link in data could hold them: each would become a live
 * element, attribute or link if a report put it into HTML or Markdown unescaped. Shared by
 * `inert_text_test.ts` and the fixture notebook `tests/fixtures/hostile_text.ipynb`.
 */
export const HOSTILE = {
  code: `<img src=x onerror=alert(1)>`,
  script: `<script>alert(1)</script>`,
  link: `[click](javascript:alert(1))`,
  file: `<b>000001</b>_*bold*_\`tick\`.xlsx`,
  more: [
    `<a href="javascript:alert(1)">x</a>`,
    `javascript:alert(1)`,
    `![img](x" onerror="alert(1))`,
    `<javascript:alert(1)>`,
    `https://example.invalid/<svg onload=alert(1)>`,
    `# heading\n<iframe src=javascript:alert(1)>`,
    `| a | b |\n|---|---|\n| <u>1</u> | 2 |`,
    `$\\href{javascript:alert(1)}{x}$`,
    `&lt;img src=x onerror=alert(1)&gt;`,
  ],
  get all(): string[] {
    return [this.code, this.script, this.link, this.file, ...this.more];
  },
};
