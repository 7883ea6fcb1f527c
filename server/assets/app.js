/*
 * app.js: the views of the chronicle web page, drawn from the JSON API.
 *
 * Design note: no framework.  Routing is by URL hash (#/, #/article/ID,
 * #/search?q=..., #/timeline, #/events, #/entities) so every view can be
 * linked and the server only ever serves one page.  The DOM is built with
 * h(), which only ever creates text nodes for data: nothing from the API
 * goes through innerHTML, so headlines, snippets and removed text cannot
 * inject markup.  Search snippets carry \u0002...\u0003 around matches;
 * they become <mark> elements, everything else stays text.  Each view
 * is one function; views whose data comes with later issues (events,
 * entities, timeline) show what the API says is missing and will render
 * lists as soon as their endpoints return items.
 */
'use strict';

(function () {
  const main = document.getElementById('main');
  const searchForm = document.getElementById('search-form');
  const searchInput = document.getElementById('search-input');
  const PAGE = 25;
  let renderSeq = 0;

  /* ---- DOM helpers ---- */

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, kids);
    return el;
  }

  function append(el, kids) {
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      if (Array.isArray(k)) append(el, k);
      else if (k instanceof Node) el.appendChild(k);
      else el.appendChild(document.createTextNode(String(k)));
    }
  }

  function show(...nodes) {
    main.replaceChildren(...nodes.filter(Boolean));
  }

  /* The snippet's text with \u0002...\u0003 spans as <mark>. */
  function snippet(s) {
    const frag = document.createDocumentFragment();
    let mark = null;
    let buf = '';
    const flush = () => {
      if (!buf) return;
      (mark || frag).appendChild(document.createTextNode(buf));
      buf = '';
    };
    for (const ch of String(s || '')) {
      if (ch === '\u0002') {
        flush();
        mark = h('mark');
      } else if (ch === '\u0003') {
        flush();
        if (mark) frag.appendChild(mark);
        mark = null;
      } else {
        buf += ch;
      }
    }
    flush();
    if (mark) frag.appendChild(mark);
    return frag;
  }

  /* The words of a search query (operators and syntax dropped), as one
   * case-insensitive pattern; prefix* matches any ending.  null if none. */
  function queryPattern(q) {
    const words = String(q || '').replace(/\b(AND|OR|NOT|NEAR)\b/g, ' ')
      .match(/[\p{L}\p{N}]+\*?/gu) || [];
    if (!words.length) return null;
    const alts = words.map((w) => {
      const prefix = w.endsWith('*');
      const base = (prefix ? w.slice(0, -1) : w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return base + (prefix ? '[\\p{L}\\p{N}]*' : '');
    });
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  }

  /* text with the pattern's matches as <mark>, as a list of nodes. */
  function highlighted(text, re) {
    if (!re) return [text];
    const out = [];
    let last = 0;
    for (const m of text.matchAll(re)) {
      if (!m[0]) continue;
      out.push(text.slice(last, m.index), h('mark', { text: m[0] }));
      last = m.index + m[0].length;
    }
    out.push(text.slice(last));
    return out;
  }

  /* ---- formatting ---- */

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];

  function fmtDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] || m[2]} ${m[1]}`;
  }

  const FROM = {
    header: 'from the header',
    dateline: 'from the dateline',
    text: 'from the text',
    input: 'given with the input',
    event: 'from its event'
  };

  function reasonLabel(r) {
    return String(r || 'other').replace(/[-_]/g, ' ');
  }

  function articleHref(id) {
    return '#/article/' + encodeURIComponent(id);
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : (many || one + 's')}`;
  }

  /* A meta line: the parts that exist, separated by dots. */
  function metaLine(a) {
    const parts = [];
    if (a.published) parts.push(h('time', { datetime: a.published, text: fmtDate(a.published) }));
    else parts.push(h('span', { class: 'undated', text: 'date unknown' }));
    if (a.dateline) parts.push(h('span', { class: 'dateline', text: a.dateline }));
    if (a.agencies && a.agencies.length) parts.push(h('span', { text: a.agencies.join(', ') }));
    if (a.outlet) parts.push(h('span', { text: a.outlet }));
    const p = h('p', { class: 'meta' });
    parts.forEach((x, i) => {
      if (i) p.appendChild(h('span', { class: 'sep', 'aria-hidden': 'true', text: '·' }));
      p.appendChild(x);
    });
    return p;
  }

  /* ---- API ---- */

  async function api(path) {
    let res;
    try {
      res = await fetch(path, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw { status: 0, message: 'The server did not answer. Is `chronicle serve` still running?' };
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) throw { status: res.status, message: (body && body.error) || res.statusText };
    return body;
  }

  function errorBox(title, err, hint) {
    return h('div', { class: 'notice error', role: 'alert' },
      h('p', { class: 'notice-title', text: title }),
      h('p', { text: err && err.message ? err.message : String(err) }),
      hint ? h('p', { class: 'hint', text: hint }) : null);
  }

  function pager(base, offset, limit, hasMore, total) {
    const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' });
    const sep = base.includes('?') ? '&' : '?';
    if (offset > 0) {
      const prev = Math.max(0, offset - limit);
      nav.appendChild(h('a', { href: base + (prev ? `${sep}offset=${prev}` : ''), rel: 'prev', text: '← Newer' }));
    }
    if (total !== undefined) {
      nav.appendChild(h('span', { class: 'pager-pos',
        text: total ? `${offset + 1}–${Math.min(offset + limit, total)} of ${total}` : '' }));
    }
    if (hasMore) nav.appendChild(h('a', { href: `${base}${sep}offset=${offset + limit}`, rel: 'next', text: 'Older →' }));
    return nav.children.length ? nav : null;
  }

  /* ---- views ---- */

  function articleCard(a) {
    return h('article', { class: 'card', 'data-id': a.id },
      h('h2', { class: 'card-title' }, h('a', { href: articleHref(a.id), text: a.headline || a.id })),
      metaLine(a),
      a.excerpt ? h('p', { class: 'excerpt', text: a.excerpt }) : null,
      a.removed_count ? h('p', { class: 'card-foot' },
        h('a', { class: 'pill', href: articleHref(a.id) + '?removed',
          text: `${plural(a.removed_count, 'passage')} removed by cleaning` })) : null);
  }

  /* A side panel for data a later stage computes: "no events yet" until
   * its endpoint returns items. */
  function pendingPanel(title, path, key, link, empty) {
    const box = h('section', { class: 'panel', 'data-pending': key },
      h('h2', { class: 'panel-title' }, h('a', { href: link, text: title })),
      h('p', { class: 'muted', text: 'Loading…' }));
    api(path).then((d) => {
      const items = (d && d[key]) || [];
      box.replaceChildren(box.firstChild);
      if (!items.length) {
        box.appendChild(h('p', { class: 'empty-line', text: empty }));
        if (d && d.note) box.appendChild(h('p', { class: 'muted small', text: d.note }));
        return;
      }
      const ul = h('ul', { class: 'plain' });
      items.slice(0, 8).forEach((it) => ul.appendChild(h('li', {}, itemLine(key, it))));
      box.appendChild(ul);
    }).catch((e) => {
      box.replaceChildren(box.firstChild, h('p', { class: 'muted', text: e.message }));
    });
    return box;
  }

  async function viewArticles(q, seq) {
    const offset = Number(q.get('offset')) || 0;
    const d = await api(`/api/articles?limit=${PAGE}&offset=${offset}`);
    if (seq !== renderSeq) return;
    document.title = 'Articles · chronicle';
    const list = h('div', { class: 'cards' });
    d.articles.forEach((a) => list.appendChild(articleCard(a)));
    if (!d.articles.length) {
      list.appendChild(h('div', { class: 'empty' },
        h('p', { class: 'empty-title', text: offset ? 'No more articles' : 'No articles yet' }),
        h('p', { text: 'Add some with `chronicle ingest PATH` or POST /api/articles.' })));
    }
    show(h('div', { class: 'layout' },
      h('section', { class: 'col-main' },
        h('header', { class: 'page-head' },
          h('h1', { text: 'Articles' }),
          h('p', { class: 'sub', text: `${plural(d.total, 'article')}, newest first` })),
        list,
        pager('#/articles', offset, d.limit, offset + d.articles.length < d.total, d.total)),
      h('aside', { class: 'col-side' },
        pendingPanel('Timeline', '/api/events', 'events', '#/timeline', 'No events yet.'),
        pendingPanel('Entities', '/api/entities', 'entities', '#/entities', 'No entities yet.'))));
  }

  async function viewArticle(id, q, seq) {
    let a;
    try {
      a = await api('/api/articles/' + encodeURIComponent(id));
    } catch (e) {
      if (seq !== renderSeq) return;
      show(crumbs(id), errorBox(e.status === 404 ? 'No such article' : 'The article could not be loaded', e));
      return;
    }
    if (seq !== renderSeq) return;
    document.title = `${a.headline || a.id} · chronicle`;

    const facts = h('dl', { class: 'facts' });
    const fact = (k, ...v) => facts.append(h('dt', { text: k }), h('dd', {}, ...v));
    if (a.published) {
      fact('Published', h('time', { datetime: a.published, text: fmtDate(a.published) }),
        a.published_from ? h('span', { class: 'muted', text: ` (${FROM[a.published_from] || a.published_from})` }) : null);
    } else {
      fact('Published', h('span', { class: 'undated', text: 'unknown' }),
        h('span', { class: 'muted', text: ' (no date in the header, dateline or text)' }));
    }
    if (a.dateline) fact('Dateline', a.dateline);
    if (a.agencies && a.agencies.length) fact('Agencies', a.agencies.map((g) => h('span', { class: 'chip', text: g })));
    if (a.outlet) fact('Outlet', a.outlet);
    if (a.url && /^https?:\/\//i.test(a.url)) {
      fact('Source', h('a', { href: a.url, rel: 'noopener noreferrer nofollow', target: '_blank', text: a.url }));
    } else if (a.url) {
      fact('Source', a.url);
    }
    if (a.path) fact('From', h('code', { text: a.path }));
    if (a.notes && a.notes.length) fact('Notes', a.notes.join('; '));

    const body = h('div', { class: 'body' });
    const paras = String(a.text || '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    const hl = queryPattern(q.get('hl'));
    paras.forEach((p) => body.appendChild(h('p', {}, highlighted(p, hl))));
    if (!paras.length) body.appendChild(h('p', { class: 'muted', text: 'Nothing was left after cleaning.' }));

    const back = q.get('hl') ? h('p', { class: 'back' },
      h('a', { href: '#/search?q=' + encodeURIComponent(q.get('hl')), text: `← Back to the results for “${q.get('hl')}”` })) : null;
    show(back || crumbs(a.headline || a.id),
      h('div', { class: 'article-layout' },
        h('article', { class: 'story' },
          h('h1', { class: 'story-title', text: a.headline || a.id }),
          facts,
          body),
        h('div', { class: 'side' }, copiesPanel(a.id), removedPanel(a.removed || []))));
    if (q.has('removed')) document.getElementById('removed').scrollIntoView();
  }

  function removedPanel(removed) {
    const panel = h('aside', { class: 'removed', id: 'removed', 'aria-labelledby': 'removed-title' },
      h('h2', { id: 'removed-title' }, 'Removed by cleaning ',
        h('span', { class: 'count', text: String(removed.length) })));
    if (!removed.length) {
      panel.appendChild(h('p', { class: 'muted', text: 'Cleaning removed nothing from this article.' }));
      return panel;
    }
    panel.appendChild(h('p', { class: 'hint',
      text: 'Everything cleaning took out of the raw text, with the reason, so you can check it.' }));
    const counts = new Map();
    removed.forEach((r) => counts.set(r.reason, (counts.get(r.reason) || 0) + 1));
    if (counts.size < removed.length) {
      /* a summary when some reason repeats */
      panel.appendChild(h('p', { class: 'reasons' }, [...counts].map(([r, n]) =>
        h('span', { class: 'reason', 'data-reason': r, text: n > 1 ? `${reasonLabel(r)} ×${n}` : reasonLabel(r) }))));
    }
    const ol = h('ol', { class: 'removed-list' });
    removed.forEach((r) => ol.appendChild(h('li', {},
      h('span', { class: 'reason', 'data-reason': r.reason, text: reasonLabel(r.reason) }),
      h('blockquote', { text: r.text }))));
    panel.appendChild(ol);
    return panel;
  }

  /* Other copies of this story (syndication group, issue 5); hidden
   * while the article has none. */
  function copiesPanel(id) {
    const box = h('section', { class: 'panel copies', hidden: true });
    api('/api/dups?article=' + encodeURIComponent(id)).then((d) => {
      const g = d.groups && d.groups[0];
      const others = g ? g.articles.filter((x) => x !== id) : [];
      if (!others.length) return;
      const items = others.slice(0, 12).map((x) => {
        const link = h('a', { href: articleHref(x), text: x });
        /* the headline replaces the id once it is known */
        api('/api/articles/' + encodeURIComponent(x)).then((o) => {
          if (o && o.headline) link.textContent = o.headline;
        }).catch(() => {});
        return h('li', {}, x === g.original ? h('span', { class: 'chip orig', text: 'original' }) : null, link);
      });
      append(box, [h('h2', { class: 'panel-title', text: 'Other copies of this story' }),
        g.original === id ? h('p', { class: 'muted small', text: 'This copy looks like the original.' }) : null,
        h('ul', { class: 'plain' }, items),
        others.length > items.length ? h('p', { class: 'muted small', text: `and ${others.length - items.length} more` }) : null]);
      box.hidden = false;
    }).catch(() => {});
    return box;
  }

  function crumbs(here) {
    return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/', text: 'Articles' }), h('span', { class: 'sep', 'aria-hidden': 'true', text: '/' }),
      h('span', { class: 'here', text: here }));
  }

  async function viewSearch(q, seq) {
    const query = (q.get('q') || '').trim();
    const offset = Number(q.get('offset')) || 0;
    searchInput.value = query;
    document.title = query ? `${query} · search · chronicle` : 'Search · chronicle';
    const head = h('header', { class: 'page-head' }, h('h1', { text: 'Search' }));
    const wrap = (...nodes) => show(h('div', { class: 'narrow' }, ...nodes.filter(Boolean)));
    if (!query) {
      wrap(head, h('p', { class: 'sub', text: 'Type words in the search box: "exact phrases", OR, NOT and prefix* work too.' }));
      searchInput.focus();
      return;
    }
    let d;
    try {
      d = await api(`/api/search?q=${encodeURIComponent(query)}&limit=20&offset=${offset}`);
    } catch (e) {
      if (seq !== renderSeq) return;
      wrap(head, errorBox('That search could not be run', e,
        'Search uses FTS5 syntax: words, "exact phrases", OR, NOT, prefix*. Quote words that contain punctuation.'));
      return;
    }
    if (seq !== renderSeq) return;
    const n = d.results.length;
    head.appendChild(h('p', { class: 'sub' },
      n ? `${offset ? `Matches ${offset + 1}–${offset + n}` : plural(n, 'match', 'matches')}${d.has_more ? ' (more below)' : ''} for ` : 'No matches for ',
      h('strong', { class: 'q', text: `“${query}”` })));
    const ol = h('ol', { class: 'results', start: offset + 1 });
    d.results.forEach((r) => ol.appendChild(h('li', { class: 'result' },
      h('h2', { class: 'card-title' }, h('a', { href: articleHref(r.id) + '?hl=' + encodeURIComponent(query), text: r.headline || r.id })),
      h('p', { class: 'meta' }, r.published ? h('time', { datetime: r.published, text: fmtDate(r.published) })
        : h('span', { class: 'undated', text: 'date unknown' })),
      h('p', { class: 'snippet' }, snippet(r.snippet)))));
    wrap(head, n ? ol : h('div', { class: 'empty' },
      h('p', { class: 'empty-title', text: 'Nothing found' }),
      h('p', { text: 'Try fewer words, another spelling, or a prefix such as lavr*.' })),
    pager(`#/search?q=${encodeURIComponent(query)}`, offset, 20, d.has_more));
  }

  /* Events, storylines, entities, timeline: filled by later issues. */
  const PENDING = {
    timeline: { title: 'Timeline', path: '/api/timeline', key: 'entries', empty: 'No events yet',
      about: 'The timeline lists what happened, event by event, each dated and linked to its sources.' },
    events: { title: 'Events', path: '/api/events', key: 'events', empty: 'No events yet',
      about: 'Articles about the same real-world event are grouped into one event, with all of its sources.' },
    entities: { title: 'Entities', path: '/api/entities?limit=200', key: 'entities', empty: 'No entities yet',
      about: 'People, organisations and places, with their name variants and roles over time.',
      none: 'Entities are found when articles are ingested with the entity model (models/ner.bin).' }
  };

  function itemLine(key, it) {
    if (key === 'entities') {
      return [h('a', { href: '#/entity/' + encodeURIComponent(it.id), text: String(it.name) }),
        h('span', { class: 'muted small', text: ` ${it.type || ''} · ${plural(it.mentions || 0, 'mention')}` })];
    }
    const title = it.title || it.name || it.text || it.id;
    const date = it.date ? h('time', { class: 'muted', datetime: it.date, text: fmtDate(it.date) + ' ' }) : null;
    const hrefBase = { events: '#/event/', entities: '#/entity/' }[key];
    return [date, hrefBase && it.id !== undefined
      ? h('a', { href: hrefBase + encodeURIComponent(it.id), text: String(title) })
      : h('span', { text: String(title) })];
  }

  async function viewPending(kind, seq) {
    const p = PENDING[kind];
    document.title = `${p.title} · chronicle`;
    let d = null;
    let err = null;
    try {
      d = await api(p.path);
    } catch (e) {
      err = e;
    }
    if (seq !== renderSeq) return;
    const head = h('header', { class: 'page-head' }, h('h1', { text: p.title }),
      h('p', { class: 'sub', text: p.about }));
    const items = (d && d[p.key]) || [];
    if (err) {
      show(head, errorBox(`${p.title} could not be loaded`, err));
    } else if (!items.length) {
      show(head, h('div', { class: 'empty', 'data-empty': kind },
        h('p', { class: 'empty-title', text: p.empty }),
        h('p', { text: d && d.note ? d.note : p.none || 'Nothing here yet.' }),
        h('p', {}, 'Meanwhile, ', h('a', { href: '#/', text: 'browse the articles' }), ' or search them.')));
    } else {
      const ul = h('ul', { class: 'plain list' });
      items.forEach((it) => ul.appendChild(h('li', {}, itemLine(p.key, it))));
      show(head, ul);
    }
  }

  /* ---- event and entity pages (data from issues 4, 6 and 7) ----
   * Drawn from the JSON contract in PRODUCT.md; until those endpoints
   * return objects, the API's 404 explains what is missing. */

  /* A link or text for a list item that may be an id or an object. */
  function ref(x, kind) {
    if (x === null || x === undefined) return null;
    if (typeof x !== 'object') {
      return kind ? h('a', { href: `#/${kind}/${encodeURIComponent(x)}`, text: String(x) }) : String(x);
    }
    const label = x.headline || x.title || x.name || x.text || x.id;
    const kindOf = x.headline !== undefined ? 'article' : kind;
    return kindOf && x.id !== undefined
      ? h('a', { href: `#/${kindOf}/${encodeURIComponent(x.id)}`, text: String(label) })
      : h('span', { text: String(label) });
  }

  function listSection(title, items, kind) {
    if (!Array.isArray(items) || !items.length) return null;
    return h('section', { class: 'detail-section' },
      h('h2', { text: `${title} (${items.length})` }),
      h('ul', { class: 'plain' }, items.map((x) => h('li', {}, ref(x, kind)))));
  }

  async function viewDetail(kind, id, seq) {
    const path = kind === 'event' ? '/api/events/' : '/api/entities/';
    let d;
    try {
      d = await api(path + encodeURIComponent(id));
    } catch (e) {
      if (seq !== renderSeq) return;
      show(errorBox(e.status === 404 ? `No such ${kind}` : `The ${kind} could not be loaded`, e));
      return;
    }
    if (seq !== renderSeq) return;
    const title = d.title || d.name || String(id);
    document.title = `${title} · chronicle`;
    const facts = h('dl', { class: 'facts' });
    const fact = (k, ...v) => facts.append(h('dt', { text: k }), h('dd', {}, ...v));
    if (kind === 'event') {
      if (d.date) fact('When', fmtDate(d.date), d.date_end && d.date_end !== d.date ? ` – ${fmtDate(d.date_end)}` : '');
    } else {
      if (d.type) fact('Type', d.type);
      if (typeof d.mentions === 'number') {
        fact('Mentions', plural(d.mentions, 'mention'),
          typeof d.articles === 'number' ? ` in ${plural(d.articles, 'article')}` : '');
      }
      if (Array.isArray(d.aliases) && d.aliases.length) fact('Also called', d.aliases.map((a) => h('span', { class: 'chip', text: String(a) })));
      if (Array.isArray(d.roles) && d.roles.length) {
        fact('Roles', h('ul', { class: 'plain' }, d.roles.map((r) => h('li', {},
          String(r.title || ''), h('span', { class: 'muted', text: ` ${r.from ? fmtDate(r.from) : '…'} – ${r.to ? fmtDate(r.to) : '…'}` })))));
      }
    }
    show(h('article', { class: 'story' },
      h('h1', { class: 'story-title', text: title }),
      facts.children.length ? facts : null,
      d.summary ? h('div', { class: 'body' }, h('p', { text: String(d.summary) })) : null,
      listSection('Facts', d.facts),
      listSection('Where sources disagree', d.conflicts),
      listSection('Entities', d.entities, 'entity'),
      listSection('Articles', d.articles, 'article')));
  }

  function viewNotFound() {
    document.title = 'Not found · chronicle';
    show(h('div', { class: 'empty' }, h('p', { class: 'empty-title', text: 'There is no such page' }),
      h('p', {}, h('a', { href: '#/', text: 'Back to the articles' }))));
  }

  /* ---- router ---- */

  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, '');
    const qi = raw.indexOf('?');
    const path = qi < 0 ? raw : raw.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
    const parts = path.split('/').filter((s) => s.length).map((s) => {
      try { return decodeURIComponent(s); } catch (e) { return s; }
    });
    return { parts, query };
  }

  async function route() {
    const seq = ++renderSeq;
    const { parts, query } = parseHash();
    const top = parts[0] || 'articles';
    const section = { article: 'articles', event: 'events', entity: 'entities' }[top] || top;
    document.querySelectorAll('[data-nav]').forEach((a) => {
      if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    if (top !== 'search') searchInput.value = '';
    try {
      if (top === 'articles') await viewArticles(query, seq);
      else if (top === 'article' && parts[1] !== undefined) await viewArticle(parts.slice(1).join('/'), query, seq);
      else if (top === 'search') await viewSearch(query, seq);
      else if (PENDING[top]) await viewPending(top, seq);
      else if ((top === 'event' || top === 'entity') && parts[1] !== undefined) await viewDetail(top, parts.slice(1).join('/'), seq);
      else viewNotFound();
    } catch (e) {
      if (seq === renderSeq) show(errorBox('Something went wrong', e));
    }
    if (seq === renderSeq && !query.has('removed')) window.scrollTo(0, 0);
  }

  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = searchInput.value.trim();
    const target = '#/search?q=' + encodeURIComponent(q);
    if (location.hash === target) route();
    else location.hash = target;
  });

  window.addEventListener('hashchange', route);

  api('/api/status').then((s) => {
    document.getElementById('foot-status').textContent =
      `${plural(s.articles, 'article')} · chronicle ${s.version}`;
  }).catch(() => {});

  route();
})();
