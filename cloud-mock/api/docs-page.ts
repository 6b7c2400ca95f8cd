/**
 * GET /docs: a small self-contained page (no CDN, no external script) that reads /openapi.json and lets a
 * person try every route: get a token with a client id and secret, fill path parameters, a query and a
 * body, send, and read the answer.
 */
import type { Route } from './route.ts';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>License Lab cloud API</title>
<style>
body{font:14px system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em;border-bottom:1px solid #ccc}
details{border:1px solid #ddd;border-radius:4px;margin:.3em 0;padding:.3em .6em}
summary{cursor:pointer}code{font-family:ui-monospace,monospace}
.m{display:inline-block;width:4.5em;font-weight:bold}.GET{color:#0a6}.POST{color:#06c}.DELETE{color:#c30}.PUT{color:#a60}
textarea{width:100%;height:7em;font-family:ui-monospace,monospace}input{font-family:ui-monospace,monospace}
pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:25em}fieldset{border:1px solid #ddd}
</style></head><body>
<h1>License Lab mock licensing cloud</h1>
<p>Every route of <a href="/openapi.json">/openapi.json</a>. Management routes need a bearer token; lab control (/lab/…) needs the lab key (the file lab-key beside the cloud's database).</p>
<fieldset><legend>OAuth2 token (client credentials)</legend>
client_id <input id="cid" size="24"> client_secret <input id="csec" type="password" size="24">
<button id="gettoken">Get token</button><br>bearer <input id="bearer" size="70"></fieldset>
<fieldset><legend>Lab key (sent as X-Lab-Key on /lab/…)</legend><input id="labkey" type="password" size="50"></fieldset>
<div id="ops">loading /openapi.json…</div>
<script>
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => { const e = document.createElement(tag); Object.assign(e, attrs); e.append(...kids); return e; };
$('gettoken').onclick = async () => {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: $('cid').value, client_secret: $('csec').value });
  const res = await fetch('/as/token.oauth2', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = await res.json();
  $('bearer').value = json.access_token || '';
  if (!res.ok) alert(json.error_description || res.status);
};
function skeleton(s) {
  if (!s) return undefined;
  if (s.anyOf) return skeleton(s.anyOf[0]);
  if (s.const !== undefined) return s.const;
  if (s.type === 'object') return Object.fromEntries(Object.entries(s.properties || {}).filter(([k]) => (s.required || []).includes(k)).map(([k, v]) => [k, skeleton(v)]));
  if (s.type === 'array') return [];
  return { string: '', integer: 0, number: 0, boolean: false }[s.type];
}
function operation(path, method, op) {
  const params = (op.parameters || []).filter((p) => p.in === 'path');
  const inputs = params.map((p) => el('input', { placeholder: p.name, size: 18 }));
  const query = el('input', { placeholder: 'query string, e.g. limit=10', size: 40 });
  const schema = op.requestBody && op.requestBody.content['application/json'].schema;
  const body = el('textarea', { value: schema ? JSON.stringify(skeleton(schema), null, 2) : '' });
  const out = el('pre');
  const send = el('button', { textContent: 'Send' });
  send.onclick = async () => {
    let url = path;
    params.forEach((p, i) => (url = url.replace('{' + p.name + '}', encodeURIComponent(inputs[i].value))));
    if (query.value) url += '?' + query.value;
    const headers = { 'content-type': 'application/json' };
    if ($('bearer').value) headers.authorization = 'Bearer ' + $('bearer').value;
    if ($('labkey').value && path.startsWith('/lab/')) headers['x-lab-key'] = $('labkey').value;
    const res = await fetch(url, { method, headers, ...(method === 'GET' || method === 'DELETE' ? {} : { body: body.value }) });
    const text = await res.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    out.textContent = res.status + ' ' + res.statusText + '\\n' + shown;
  };
  return el('details', {}, el('summary', {}, el('span', { className: 'm ' + method, textContent: method }), el('code', { textContent: path }), ' — ' + (op.summary || '')),
    ...inputs, ' ', query, schema ? body : '', el('br'), send, out);
}
fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(ops)) (byTag[op.tags[0]] ||= []).push(operation(path, m.toUpperCase(), op));
  $('ops').replaceChildren(...Object.entries(byTag).flatMap(([tag, items]) => [el('h2', { textContent: tag }), ...items]));
});
</script></body></html>`;

export const docsRoute: Route = {
  method: 'GET',
  path: '/docs',
  tag: 'lab',
  summary: 'A page to try the API in a browser (HTML, self-contained)',
  async handler() {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(PAGE) };
  },
};
