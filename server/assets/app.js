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
 * is one function.  Events come from /api/events once the events
 * engine fills it; while it is a stub (an empty list with
 * "available": false) the per-event digests stand in for it, so the
 * timeline, event and fact views work either way.  An event page puts
 * together the event (or its digest), its facts, its conflicts and the
 * syndication groups of its sources, each from its own endpoint.
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
        eventsPanel(),
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

  /* Lists whose endpoint may still be a stub: the empty state says what
   * the API says is missing.  Timeline, events and facts have views of
   * their own (below). */
  const PENDING = {
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

  /* ---- events, facts, timeline and entities (issues 4, 6 and 7) ---- */

  /* TIMEX values as a person reads them: 2019-11-20, 2019-11, 2019-W47. */
  function fmtWhen(v) {
    const s = String(v || '');
    let m;
    if (/^\d{4}-\d{2}-\d{2}/.test(s)) return fmtDate(s.slice(0, 10));
    if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return `${MONTHS[Number(m[2]) - 1] || m[2]} ${m[1]}`;
    if ((m = /^(\d{4})-W(\d{2})$/.exec(s))) return `week ${Number(m[2])} of ${m[1]}`;
    if (/^\d{4}$/.test(s)) return s;
    return s;
  }

  /* ISO 8601 durations (P5D, PT3H) in words. */
  function fmtDuration(v) {
    const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(String(v || ''));
    if (!m) return String(v || '');
    const names = ['year', 'month', 'week', 'day', 'hour', 'minute'];
    const parts = [];
    names.forEach((n, i) => { if (m[i + 1]) parts.push(plural(Number(m[i + 1]), n)); });
    return parts.join(' ') || String(v);
  }

  function conflictValue(kind, v) {
    if (kind === 'duration') return fmtDuration(v);
    if (kind === 'date') return fmtWhen(v);
    return String(v);
  }

  const TYPE_LABEL = { meeting: 'Meeting', visit: 'Visit', statement: 'Statement', agreement: 'Agreement', background: 'Background' };

  function entityHref(name) {
    return '#/entity/' + encodeURIComponent(name);
  }

  function eventHref(id) {
    return '#/event/' + encodeURIComponent(id);
  }

  /* Headlines and outlets of articles, fetched once per page load. */
  const articleCache = new Map();
  function articleInfo(id) {
    if (!articleCache.has(id)) {
      articleCache.set(id, api('/api/articles/' + encodeURIComponent(id)).catch(() => null));
    }
    return articleCache.get(id);
  }

  /* A link to an article whose text becomes its headline once known. */
  function articleLink(id, cls) {
    const a = h('a', { href: articleHref(id), class: cls || 'src', text: id });
    articleInfo(id).then((o) => { if (o && o.headline) a.textContent = o.headline; });
    return a;
  }

  /* Events: /api/events once it has items; until then the digests, one
   * per event the facts stage knows.  Either way a list of {id, title,
   * date, date_end, articles: [ids], summary}. */
  let eventsPromise = null;
  function loadEvents() {
    if (eventsPromise) return eventsPromise;
    eventsPromise = (async () => {
      let d = null;
      try {
        d = await api('/api/events?limit=500');
      } catch (e) {
        d = null;
      }
      if (d && Array.isArray(d.events) && d.events.length) {
        return { from: 'events', events: d.events.map((e) => ({
          id: e.id, title: e.title, date: e.date, date_end: e.date_end,
          articles: Array.isArray(e.articles) ? e.articles.map((x) => (typeof x === 'object' ? x.id : x)) : [],
          count: Array.isArray(e.articles) ? e.articles.length : (e.articles || e.article_count || 0),
          summary: e.summary })) };
      }
      const g = await api('/api/digests?limit=1000');
      const events = g.digests.map((x) => ({ id: x.event, title: x.title, date: x.date,
        articles: x.articles || [], count: (x.articles || []).length, summary: x.summary }));
      events.sort((a, b) => String(b.date || '').localeCompare(String(a.date || '')));
      return { from: 'digests', events };
    })();
    eventsPromise.catch(() => { eventsPromise = null; });
    return eventsPromise;
  }

  function eventLine(e) {
    return h('li', { class: 'event-line' },
      e.date ? h('time', { class: 'muted', datetime: e.date, text: fmtWhen(e.date) }) : h('span', { class: 'muted undated', text: 'undated' }),
      h('a', { href: eventHref(e.id), text: e.title || `Event ${e.id}` }),
      e.count ? h('span', { class: 'muted small', text: ` · ${plural(e.count, 'article')}` }) : null);
  }

  function eventsPanel() {
    const box = h('section', { class: 'panel', 'data-panel': 'events' },
      h('h2', { class: 'panel-title' }, h('a', { href: '#/events', text: 'Events' })),
      h('p', { class: 'muted', text: 'Loading…' }));
    loadEvents().then((d) => {
      box.replaceChildren(box.firstChild);
      if (!d.events.length) {
        box.appendChild(h('p', { class: 'empty-line', text: 'No events yet.' }));
        return;
      }
      box.appendChild(h('ul', { class: 'plain' }, d.events.slice(0, 8).map(eventLine)));
      box.appendChild(h('p', { class: 'small' }, h('a', { href: '#/timeline', text: 'Open the timeline →' })));
    }).catch((e) => box.replaceChildren(box.firstChild, h('p', { class: 'muted', text: e.message })));
    return box;
  }

  /* A quoted supporting sentence with the article it comes from. */
  function quote(s) {
    return h('li', { class: 'quote' + (s.partial ? ' partial' : '') },
      h('blockquote', { text: s.text }),
      h('p', { class: 'quote-src' }, '— ', articleLink(s.article),
        s.partial ? h('span', { class: 'muted small', text: ' (supports part of the fact)' }) : null));
  }

  function factCard(f) {
    const who = f.who ? h('a', { href: entityHref(f.who), class: 'ent', text: f.who }) : h('span', { class: 'muted', text: 'someone' });
    const withWhom = (f.with || []).map((w, i) => [i ? ', ' : ' with ', h('a', { href: entityHref(w), class: 'ent', text: w })]);
    const bits = [];
    if (f.where) bits.push(h('span', { text: f.where }));
    if (f.when) bits.push(h('time', { datetime: f.when, text: fmtWhen(f.when) }));
    if (f.duration) bits.push(h('span', { text: fmtDuration(f.duration) }));
    bits.push(h('span', { text: plural(f.sources || 0, 'source') }));
    const meta = h('p', { class: 'meta' });
    bits.forEach((x, i) => {
      if (i) meta.appendChild(h('span', { class: 'sep', 'aria-hidden': 'true', text: '·' }));
      meta.appendChild(x);
    });
    return h('article', { class: 'fact', 'data-fact': f.id },
      h('p', { class: 'fact-head' },
        h('span', { class: `chip type-${f.type}`, text: TYPE_LABEL[f.type] || f.type }),
        f.status && f.status !== 'happened' ? h('span', { class: 'chip status', text: f.status }) : null,
        ' ', who, withWhom),
      meta,
      h('ul', { class: 'quotes' }, (f.sentences || []).map(quote)));
  }

  function conflictBox(c) {
    return h('section', { class: 'conflict', 'data-conflict': c.id, role: 'note' },
      h('p', { class: 'conflict-title' },
        h('span', { class: 'chip warn', text: 'Sources disagree' }), ' ',
        `${c.kind === 'duration' ? 'How long' : c.kind === 'date' ? 'When' : c.kind === 'count' ? 'How many' : 'Which title'}: `,
        h('strong', { text: c.about || '' })),
      h('div', { class: 'sides' }, (c.sides || []).map((s) => h('div', { class: 'side-box' },
        h('p', { class: 'side-value' }, h('strong', { text: conflictValue(c.kind, s.value) }),
          h('span', { class: 'muted small', text: ` · ${plural(s.sources || 0, 'source')}` })),
        h('ul', { class: 'quotes' }, (s.sentences || []).map(quote))))),
      c.event !== undefined ? h('p', { class: 'small' }, h('a', { href: eventHref(c.event), text: 'Open the event →' })) : null);
  }

  /* The summary: each sentence followed by a link to its article. */
  function summaryBlock(summary) {
    if (typeof summary === 'string') return h('div', { class: 'body' }, h('p', { text: summary }));
    if (!Array.isArray(summary) || !summary.length) return null;
    const ids = [];
    const p = h('div', { class: 'body summary' });
    summary.forEach((s) => {
      if (typeof s === 'string') { p.appendChild(h('p', { text: s })); return; }
      let n = ids.indexOf(s.article);
      if (n < 0) { ids.push(s.article); n = ids.length - 1; }
      p.appendChild(h('p', { class: 'sum-sent' }, s.text, ' ',
        h('a', { class: 'cite', href: articleHref(s.article), title: 'Source article', text: `[${n + 1}]` })));
    });
    const refs = h('ol', { class: 'cites small' }, ids.map((id) => h('li', {}, articleLink(id))));
    return h('div', {}, p, refs);
  }

  /* Sources grouped by syndication group, the original first. */
  function sourcesBlock(ids) {
    const box = h('section', { class: 'detail-section sources', 'data-section': 'sources' },
      h('h2', { text: `Sources (${ids.length})` }), h('p', { class: 'muted', text: 'Loading…' }));
    Promise.all(ids.map((id) => api('/api/dups?article=' + encodeURIComponent(id)).then((d) => d.groups[0]).catch(() => null)))
      .then((groups) => {
        const byGroup = new Map();
        ids.forEach((id, i) => {
          const g = groups[i];
          const key = g ? `g${g.id}` : `a${id}`;
          if (!byGroup.has(key)) byGroup.set(key, { original: g ? g.original : id, members: [] });
          byGroup.get(key).members.push(id);
        });
        const list = h('div', { class: 'groups' });
        for (const g of byGroup.values()) {
          g.members.sort((a, b) => (a === g.original ? -1 : b === g.original ? 1 : 0));
          list.appendChild(h('div', { class: 'group' },
            g.members.length > 1 ? h('p', { class: 'group-head small muted', text: `One story, ${g.members.length} copies (syndicated)` }) : null,
            h('ul', { class: 'plain' }, g.members.map((id) => {
              const meta = h('span', { class: 'muted small' });
              articleInfo(id).then((o) => {
                if (!o) return;
                meta.textContent = [o.published ? ' · ' + fmtDate(o.published) : '', o.outlet ? ' · ' + o.outlet : '',
                  o.agencies && o.agencies.length ? ' · ' + o.agencies.join(', ') : ''].join('');
              });
              return h('li', {}, g.members.length > 1 && id === g.original ? h('span', { class: 'chip orig', text: 'original' }) : null,
                articleLink(id), meta);
            }))));
        }
        box.replaceChildren(h('h2', { text: `Sources (${ids.length} ${ids.length === 1 ? 'article' : 'articles'}, ${plural(byGroup.size, 'independent story', 'independent stories')})` }), list);
      });
    return box;
  }

  function section(title, key, ...kids) {
    return h('section', { class: 'detail-section', 'data-section': key }, h('h2', { text: title }), ...kids);
  }

  async function viewEvents(seq) {
    document.title = 'Events · chronicle';
    const d = await loadEvents();
    if (seq !== renderSeq) return;
    const head = h('header', { class: 'page-head' }, h('h1', { text: 'Events' }),
      h('p', { class: 'sub', text: d.from === 'events'
        ? 'Articles about the same real-world event, grouped, newest first.'
        : 'One entry per story while the events engine has not grouped the articles yet; newest first.' }));
    if (!d.events.length) {
      show(head, h('div', { class: 'empty', 'data-empty': 'events' }, h('p', { class: 'empty-title', text: 'No events yet' }),
        h('p', {}, 'Ingest articles, then come back; meanwhile ', h('a', { href: '#/', text: 'browse the articles' }), '.')));
      return;
    }
    const cards = h('div', { class: 'cards' }, d.events.map((e) => {
      const first = Array.isArray(e.summary) && e.summary[0] ? (e.summary[0].text || String(e.summary[0])) : (typeof e.summary === 'string' ? e.summary : '');
      return h('article', { class: 'card event-card', 'data-event': e.id },
        h('h2', { class: 'card-title' }, h('a', { href: eventHref(e.id), text: e.title || `Event ${e.id}` })),
        h('p', { class: 'meta' }, e.date ? h('time', { datetime: e.date, text: fmtWhen(e.date) }) : h('span', { class: 'undated', text: 'date unknown' }),
          h('span', { class: 'sep', 'aria-hidden': 'true', text: '·' }), h('span', { text: plural(e.count || 0, 'article') })),
        first ? h('p', { class: 'excerpt', text: first }) : null);
    }));
    show(head, cards);
  }

  async function viewEvent(id, seq) {
    const enc = encodeURIComponent(id);
    const [ev, dg, fa, co] = await Promise.all([
      api('/api/events/' + enc).catch(() => null),
      api('/api/digests?event=' + enc).then((d) => d.digests[0]).catch(() => null),
      api('/api/facts?limit=1000&event=' + enc).catch(() => ({ facts: [] })),
      api('/api/conflicts?event=' + enc).catch(() => ({ conflicts: [] }))]);
    if (seq !== renderSeq) return;
    if (!ev && !dg) {
      show(errorBox('No such event', { message: `There is no event ${id}.` }, 'Open the timeline to see the events there are.'));
      return;
    }
    const e = Object.assign({}, dg || {}, ev || {});
    const title = e.title || `Event ${id}`;
    document.title = `${title} · chronicle`;
    const arts = (Array.isArray(e.articles) ? e.articles : (dg && dg.articles) || []).map((x) => (typeof x === 'object' ? x.id : x));
    const facts = fa.facts || [];
    const conflicts = co.conflicts || [];
    const dl = h('dl', { class: 'facts' });
    const row = (k, ...v) => dl.append(h('dt', { text: k }), h('dd', {}, ...v));
    const start = e.date || (facts[0] && facts[0].when);
    if (start) row('When', fmtWhen(start), e.date_end && e.date_end !== e.date ? ` – ${fmtWhen(e.date_end)}` : '');
    row('Sources', plural(arts.length, 'article'));
    const people = new Map();
    facts.forEach((f) => [f.who, ...(f.with || [])].forEach((n) => { if (n) people.set(n, (people.get(n) || 0) + 1); }));
    if (people.size) row('Who', [...people.keys()].map((n) => h('a', { class: 'chip ent', href: entityHref(n), text: n })));
    if (conflicts.length) row('Disputed', h('a', { href: '#conflicts', class: 'warn-link', text: plural(conflicts.length, 'point where sources disagree', 'points where sources disagree') }));
    const summary = summaryBlock(ev && ev.summary && (typeof ev.summary === 'string' || ev.summary.length) ? ev.summary : dg && dg.summary);
    show(h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/timeline', text: 'Timeline' }), h('span', { class: 'sep', 'aria-hidden': 'true', text: '/' }),
      h('span', { class: 'here', text: title })),
    h('div', { class: 'article-layout event-page' },
      h('article', { class: 'story' },
        h('h1', { class: 'story-title', text: title }),
        dl,
        conflicts.length ? h('div', { id: 'conflicts', class: 'conflicts' }, conflicts.map(conflictBox)) : null,
        summary ? section('Summary', 'summary', summary) : null,
        section(`Facts (${facts.length})`, 'facts', facts.length ? h('div', { class: 'fact-list' }, facts.map(factCard))
          : h('p', { class: 'muted', text: 'No meetings, visits, statements or agreements were found in these articles.' }))),
      h('div', { class: 'side' }, sourcesBlock(arts))));
  }

  async function viewFacts(seq) {
    document.title = 'Facts · chronicle';
    const [fa, co] = await Promise.all([api('/api/facts?limit=300'), api('/api/conflicts')]);
    if (seq !== renderSeq) return;
    const head = h('header', { class: 'page-head' }, h('h1', { text: 'Facts' }),
      h('p', { class: 'sub', text: `${plural(fa.total, 'fact')} merged across articles, each with the sentences that support it; ${plural(co.total, 'point')} where sources disagree.` }));
    show(h('div', { class: 'narrow' }, head,
      co.conflicts.length ? section('Where sources disagree', 'conflicts', h('div', { class: 'conflicts' }, co.conflicts.map(conflictBox))) : null,
      section('Facts', 'facts', fa.facts.length ? h('div', { class: 'fact-list' }, fa.facts.map(factCard))
        : h('div', { class: 'empty', 'data-empty': 'facts' }, h('p', { class: 'empty-title', text: 'No facts yet' }),
          h('p', { text: 'Facts are found in articles as they are ingested.' }))),
      fa.has_more ? h('p', { class: 'muted', text: `The first ${fa.facts.length} of ${fa.total} are shown.` }) : null));
  }

  /* Timeline entries grouped by month, each linked to its event, its
   * article and (with entity) the entity. */
  function timelineList(entries, events) {
    const titles = new Map(events.map((e) => [String(e.id), e.title]));
    const ol = h('ol', { class: 'timeline' });
    let month = null;
    entries.forEach((t) => {
      const m = String(t.date || '').slice(0, 7);
      if (m !== month) {
        month = m;
        ol.appendChild(h('li', { class: 'tl-month', text: fmtWhen(m) }));
      }
      const ev = titles.get(String(t.event));
      ol.appendChild(h('li', { class: 'tl-entry' + (t.background ? ' background' : ''), 'data-event': t.event },
        h('div', { class: 'tl-date' }, h('time', { datetime: t.date, text: fmtWhen(t.date) })),
        h('div', { class: 'tl-body' },
          h('p', { class: 'tl-kind' }, h('span', { class: `chip type-${t.type}`, text: TYPE_LABEL[t.type] || t.type || '' }),
            ev ? h('a', { class: 'tl-event', href: eventHref(t.event), text: ev }) : h('a', { class: 'tl-event', href: eventHref(t.event), text: `Event ${t.event}` })),
          h('p', { class: 'tl-text', text: t.text }),
          h('p', { class: 'quote-src small' }, '— ', articleLink(t.article),
            t.sources > 1 ? h('span', { class: 'muted', text: ` and ${plural(t.sources - 1, 'other source')}` }) : null,
            t.background ? h('span', { class: 'muted', text: ' (mentioned in passing)' }) : null))));
    });
    return ol;
  }

  async function viewTimeline(q, seq) {
    const entity = (q.get('entity') || '').trim();
    const words = (q.get('query') || '').trim();
    document.title = 'Timeline · chronicle';
    const args = new URLSearchParams();
    if (entity) args.set('entity', entity);
    if (words) args.set('query', words);
    let d = null;
    let err = null;
    try {
      d = await api('/api/timeline?' + args.toString());
    } catch (e) {
      err = e;
    }
    const evs = await loadEvents().catch(() => ({ events: [] }));
    if (seq !== renderSeq) return;
    const form = h('form', { class: 'filters', id: 'timeline-form' },
      h('label', {}, 'Entity ', h('input', { name: 'entity', value: entity, placeholder: 'e.g. Lavrov' })),
      h('label', {}, 'Words ', h('input', { name: 'query', value: words, placeholder: 'e.g. talks' })),
      h('button', { type: 'submit', text: 'Filter' }),
      entity || words ? h('a', { href: '#/timeline', text: 'Clear' }) : null);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const a = new URLSearchParams();
      const fe = form.elements.entity.value.trim();
      const fq = form.elements.query.value.trim();
      if (fe) a.set('entity', fe);
      if (fq) a.set('query', fq);
      location.hash = '#/timeline' + (a.toString() ? '?' + a.toString() : '');
    });
    const head = h('header', { class: 'page-head' }, h('h1', { text: entity ? `Timeline of ${entity}` : 'Timeline' }),
      h('p', { class: 'sub', text: 'What happened, in date order, each quoted from its best source.' }), form);
    let body;
    if (err) body = errorBox(err.status === 404 ? 'No such entity' : 'The timeline could not be loaded', err);
    else if (!d.entries.length) {
      body = h('div', { class: 'empty', 'data-empty': 'timeline' }, h('p', { class: 'empty-title', text: entity || words ? 'Nothing dated matches' : 'No events yet' }),
        h('p', {}, 'Meanwhile, ', h('a', { href: '#/', text: 'browse the articles' }), ' or search them.'));
    } else body = timelineList(d.entries, evs.events);
    show(h('div', { class: 'layout' },
      h('section', { class: 'col-main' }, head, body),
      h('aside', { class: 'col-side' }, eventsPanel(),
        h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, h('a', { href: '#/facts', text: 'Facts' })),
          h('p', { class: 'small' }, 'Every meeting, visit, statement and agreement, with ', h('a', { href: '#/facts', text: 'where sources disagree' }), '.')))));
  }

  async function viewEntity(id, seq) {
    let d;
    try {
      d = await api('/api/entities/' + encodeURIComponent(id));
    } catch (e) {
      if (seq !== renderSeq) return;
      show(errorBox(e.status === 404 ? 'No such entity' : 'The entity could not be loaded', e));
      return;
    }
    const name = d.name || String(id);
    const [fa, tl, evs] = await Promise.all([
      api('/api/facts?limit=200&entity=' + encodeURIComponent(name)).catch(() => ({ facts: [], total: 0 })),
      api('/api/timeline?entity=' + encodeURIComponent(name)).catch(() => ({ entries: [] })),
      loadEvents().catch(() => ({ events: [] }))]);
    if (seq !== renderSeq) return;
    document.title = `${name} · chronicle`;
    const dl = h('dl', { class: 'facts' });
    const row = (k, ...v) => dl.append(h('dt', { text: k }), h('dd', {}, ...v));
    if (d.type) row('Type', { PER: 'person', ORG: 'organisation', LOC: 'place', MISC: 'other' }[d.type] || d.type);
    if (typeof d.mentions === 'number') row('Mentions', plural(d.mentions, 'mention'), typeof d.articles === 'number' ? ` in ${plural(d.articles, 'article')}` : '');
    if (Array.isArray(d.aliases) && d.aliases.length) row('Also called', d.aliases.map((a) => h('span', { class: 'chip', text: String(a) })));
    const roles = Array.isArray(d.roles) ? d.roles : [];
    show(h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/entities', text: 'Entities' }), h('span', { class: 'sep', 'aria-hidden': 'true', text: '/' }),
      h('span', { class: 'here', text: name })),
    h('div', { class: 'article-layout' },
      h('article', { class: 'story entity-page' },
        h('h1', { class: 'story-title', text: name }),
        dl,
        roles.length ? section('Roles over time', 'roles', h('ol', { class: 'roles' }, roles.map((r) => h('li', {},
          h('span', { class: 'role-when muted', text: `${r.from ? fmtWhen(r.from) : 'since …'}${r.to && r.to !== r.from ? ' – ' + fmtWhen(r.to) : ''}` }),
          h('span', { class: 'role-title', text: String(r.title || '') }))))) : null,
        section('Timeline', 'timeline', tl.entries.length ? timelineList(tl.entries, evs.events)
          : h('p', { class: 'muted', text: 'No dated facts about this entity yet.' })),
        fa.facts.length ? section(`Facts (${fa.total})`, 'facts', h('div', { class: 'fact-list' }, fa.facts.map(factCard))) : null),
      h('div', { class: 'side' }, h('section', { class: 'panel' },
        h('h2', { class: 'panel-title', text: 'Find more' }),
        h('ul', { class: 'plain' },
          h('li', {}, h('a', { href: '#/search?q=' + encodeURIComponent(`"${name}"`), text: `Articles that mention ${name}` })),
          h('li', {}, h('a', { href: '#/timeline?entity=' + encodeURIComponent(name), text: 'Full-page timeline' })))))));
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
      else if (top === 'timeline') await viewTimeline(query, seq);
      else if (top === 'events') await viewEvents(seq);
      else if (top === 'facts') await viewFacts(seq);
      else if (PENDING[top]) await viewPending(top, seq);
      else if (top === 'event' && parts[1] !== undefined) await viewEvent(parts.slice(1).join('/'), seq);
      else if (top === 'entity' && parts[1] !== undefined) await viewEntity(parts.slice(1).join('/'), seq);
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
