import { describe, expect, test } from '@jest/globals';
import { html } from '../../web/vues/html.js';

describe('escaping template', () => {
  test('interpolated values are escaped, nested fragments are not', () => {
    const nom = '<script>alert("x")</script> & l\'autre';
    const r = html`<p title="${nom}">${nom}</p>${html`<b>ok</b>`}`.toString();
    expect(r).toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; l&#39;autre">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; l&#39;autre</p><b>ok</b>');
  });
  test('null, undefined and false print nothing; arrays are joined', () => {
    expect(html`${null}${undefined}${false}${[html`<i>1</i>`, '<2>']}`.toString()).toBe('<i>1</i>&lt;2&gt;');
  });
});
