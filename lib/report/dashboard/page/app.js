// The dashboard page (also inlined in `report --html`). It shows the suppressed
// model that lib/indicators-read/model.ts builds: aggregates only, every label
// from the model. Text goes in through textContent only: labels come from Primero.
/* global echarts */
(function () {
  'use strict';
  var inline = document.getElementById('model-data');
  var params = new URLSearchParams(window.location.search);
  var lang = params.get('lang') === 'km' ? 'km' : document.documentElement.lang === 'km' ? 'km' : 'en';
  var model = inline ? JSON.parse(inline.textContent) : null;
  var chosenProvince = {};
  var charts = [];
  var root = document.getElementById('app');

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined) return;
        if (k === 'text') node.textContent = String(attrs[k]);
        else if (k === 'class') node.className = attrs[k];
        else if (k === 'style') node.setAttribute('style', attrs[k]);
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
        else node.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  function fmt(cell) {
    return typeof cell === 'number' ? cell.toLocaleString('en-US') : String(cell);
  }

  function fmtChange(change, previous) {
    if (change === null || change === undefined) return '–';
    var sign = change > 0 ? '+' : change < 0 ? '−' : '±';
    var text = sign + Math.abs(change).toLocaleString('en-US');
    if (typeof previous === 'number' && previous > 0) text += ' (' + sign + Math.abs(Math.round((change / previous) * 1000) / 10) + '%)';
    return text;
  }

  function changeClass(change) {
    return change > 0 ? 'up' : change < 0 ? 'down' : '';
  }

  function T() {
    return model.text[lang];
  }

  function load(quarter) {
    var url = '/api/model' + (quarter ? '?quarter=' + encodeURIComponent(quarter) : '');
    return fetch(url, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  function syncUrl() {
    if (inline) return;
    var p = new URLSearchParams();
    p.set('lang', lang);
    p.set('quarter', model.quarter);
    window.history.replaceState(null, '', '?' + p.toString());
  }

  function header() {
    var t = T();
    var quarters = model.quarters.slice();
    if (quarters.indexOf(model.quarter) < 0) quarters.push(model.quarter);
    quarters.sort().reverse();
    var select = el('select', { id: 'quarter', 'aria-label': t.quarter, disabled: inline ? 'disabled' : null });
    quarters.forEach(function (q) {
      var o = el('option', { value: q, text: quarterName(q) });
      if (q === model.quarter) o.selected = true;
      select.appendChild(o);
    });
    select.addEventListener('change', function () {
      load(select.value).then(function (m) {
        model = m;
        render();
      }, showError);
    });
    var toggle = el('button', {
      id: 'lang-toggle',
      type: 'button',
      lang: lang === 'en' ? 'km' : 'en',
      text: t.language,
      onclick: function () {
        lang = lang === 'en' ? 'km' : 'en';
        render();
      },
    });
    return el('header', null, el('h1', { text: t.pageTitle }), el('label', null, t.quarter + ' ', select), toggle);
  }

  function kpi(ind) {
    var t = T();
    return el(
      'div',
      { class: 'card kpi', 'data-kpi': ind.id },
      el('h2', { text: ind.title[lang] }),
      el('div', { class: 'big', text: fmt(ind.total.current) }),
      el('div', { class: 'sub' }, model.quarter + ' ' + t.vs + ' ' + model.previous + ': ', el('span', { class: 'prev', text: fmt(ind.total.previous) })),
      el('div', { class: 'chg ' + changeClass(ind.total.change), text: t.change + ': ' + fmtChange(ind.total.change, ind.total.previous) }),
    );
  }

  function figureTable(ind, dim, rows, heading) {
    var t = T();
    var body = el('tbody');
    rows.forEach(function (r) {
      var dropped = r.current === 0 && r.previous !== 0;
      body.appendChild(
        el(
          'tr',
          { 'data-key': r.key, class: dropped ? 'zero' : null, title: dropped ? t.droppedToZero : null },
          el('td', { class: 'label', text: r.label[lang] }),
          el('td', { class: 'n cur', text: fmt(r.current) }),
          el('td', { class: 'n prev', text: fmt(r.previous) }),
          el('td', { class: 'n chg ' + changeClass(r.change), text: fmtChange(r.change, r.previous) }),
        ),
      );
    });
    return el(
      'table',
      { 'data-table': ind.id + '-' + dim },
      el('thead', null, el('tr', null, el('th', { text: heading }), el('th', { class: 'n', text: model.quarter }), el('th', { class: 'n', text: model.previous }), el('th', { class: 'n', text: t.change }))),
      body,
    );
  }

  function chart(node, option) {
    var c = echarts.init(node, null, { renderer: 'canvas' });
    option.textStyle = { fontFamily: lang === 'km' ? 'Noto Sans Khmer, sans-serif' : 'system-ui, sans-serif' };
    option.animation = false;
    c.setOption(option);
    charts.push(c);
  }

  /** A quarter's name, marked while it is in progress: its figures are not final. */
  function quarterName(q) {
    return q === model.inProgress ? q + ' (' + T().inProgress + ')' : q;
  }

  function trendChart() {
    var node = el('div', { class: 'chart', id: 'trend-chart' });
    var quarters = model.quarters;
    var t = T();
    var wrap = el('div', { class: 'card' }, el('h3', { text: t.trend }), node, el('p', { class: 'note', text: t.distinctNote }));
    setTimeout(function () {
      chart(node, {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 36, bottom: 44 },
        xAxis: { type: 'category', data: quarters, axisLabel: { formatter: function (q) { return q === model.inProgress ? q + '\n' + t.inProgress : q; } } },
        yAxis: { type: 'value', minInterval: 1 },
        series: model.indicators.map(function (ind) {
          return {
            name: ind.id,
            type: 'line',
            connectNulls: false,
            data: quarters.map(function (q) {
              var hit = ind.trend.filter(function (x) {
                return x.quarter === q;
              })[0];
              return hit && typeof hit.children === 'number' ? hit.children : null;
            }),
          };
        }),
      });
    });
    return wrap;
  }

  function provinceChart(ind) {
    var rows = ind.byProvince.slice().reverse();
    var node = el('div', { class: 'chart tall', id: 'province-chart-' + ind.id.replace('.', '-') });
    setTimeout(function () {
      chart(node, {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 150, right: 50, top: 30, bottom: 20 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map(function (r) { return r.label[lang]; }) },
        series: [
          { key: 'current', name: model.quarter },
          { key: 'previous', name: model.previous },
        ].map(function (s) {
          return {
            name: s.name,
            type: 'bar',
            data: rows.map(function (r) {
              var v = r[s.key];
              return typeof v === 'number' ? v : { value: 0, label: { show: true, position: 'right', formatter: String(v) } };
            }),
          };
        }),
      });
    });
    return node;
  }

  function districtCard(ind) {
    var t = T();
    var keys = ind.byProvince.map(function (r) { return r.key; });
    var chosen = chosenProvince[ind.id];
    if (keys.indexOf(chosen) < 0) chosen = keys[0];
    var select = el('select', { 'data-province-select': ind.id, 'aria-label': t.province });
    ind.byProvince.forEach(function (r) {
      var o = el('option', { value: r.key, text: r.label[lang] });
      if (r.key === chosen) o.selected = true;
      select.appendChild(o);
    });
    var holder = el('div');
    function fill() {
      holder.textContent = '';
      var rows = ind.districts[select.value] || [];
      holder.appendChild(figureTable(ind, 'district', rows, model.columns.district[lang]));
    }
    select.addEventListener('change', function () {
      chosenProvince[ind.id] = select.value;
      fill();
    });
    fill();
    return el('div', { class: 'card' }, el('h3', null, t.districtsOf + ' ', select), holder);
  }

  function indicatorSection(ind) {
    var t = T();
    var parts = [
      el('div', { class: 'card' }, el('h3', { text: t.byProvince }), provinceChart(ind), el('details', null, el('summary', { text: model.columns.province[lang] }), figureTable(ind, 'province', ind.byProvince, model.columns.province[lang]))),
      districtCard(ind),
      el('div', { class: 'card' }, el('h3', { text: t.bySex }), figureTable(ind, 'sex', ind.bySex, model.columns.sex[lang])),
      el('div', { class: 'card' }, el('h3', { text: t.byAge }), figureTable(ind, 'age', ind.byAge, model.columns.age[lang])),
    ];
    if (ind.bySource) parts.push(el('div', { class: 'card' }, el('h3', { text: t.bySource }), figureTable(ind, 'source', ind.bySource, model.columns.source[lang])));
    var grid = el('div', { class: 'grid' });
    parts.forEach(function (p) { grid.appendChild(p); });
    var empty = ind.total.current === 0 ? el('p', { class: 'note', text: t.noData }) : null;
    var ageNote = ind.ageNote ? el('p', { class: 'note', 'data-age-note': ind.id, text: ind.ageNote[lang] }) : null;
    return el('section', { class: 'indicator', id: 'indicator-' + ind.id.replace('.', '-') }, el('h2', { text: ind.title[lang] }), ageNote, empty, grid);
  }

  function share(cell, total) {
    if (typeof cell !== 'number' || typeof total !== 'number' || total === 0) return fmt(cell);
    return fmt(cell) + ' (' + Math.round((cell / total) * 1000) / 10 + '%)';
  }

  function simpleTable(name, head, rows) {
    var body = el('tbody');
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) { tr.appendChild(el('td', { class: c.cls || null, text: c.text })); });
      body.appendChild(tr);
    });
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', { class: h.cls || null, text: h.text })); });
    return el('table', { 'data-table': name }, el('thead', null, tr), body);
  }

  function qualitySection() {
    var t = T();
    var q = model.quality;
    var unknownRows = model.indicators.map(function (ind) {
      return [
        { text: ind.id },
        { text: share(ind.unknown.location, ind.total.current), cls: 'n' },
        { text: share(ind.unknown.sex, ind.total.current), cls: 'n' },
        { text: share(ind.unknown.ageBand, ind.total.current), cls: 'n' },
      ];
    });
    var runs = q.runs.map(function (r) {
      return [
        { text: r.startedAt.replace(/\.\d+Z$/, 'Z').replace('T', ' ').replace('Z', ' UTC') },
        { text: t.statuses[r.status] || r.status, cls: 'status-' + r.status },
        { text: (r.windowFrom ? r.windowFrom.slice(0, 10) : '…') + ' → ' + r.windowTo.slice(0, 10) },
        { text: String(r.batches), cls: 'n' },
        { text: String(r.cases), cls: 'n' },
        { text: String(r.services), cls: 'n' },
        { text: String(r.rejects), cls: 'n' },
        { text: String(r.nulled), cls: 'n' },
        { text: String(r.removed), cls: 'n' },
        { text: r.error || '', cls: 'err' },
      ];
    });
    var notes = q.notes.map(function (n) {
      return [{ text: t.kinds[n.kind] || n.kind }, { text: n.fieldLabel[lang] }, { text: n.reasonLabel[lang] }, { text: String(n.count), cls: 'n' }];
    });
    var codes = q.unknownCodes.map(function (c) {
      return [{ text: c.fieldLabel[lang] }, { text: c.code || '' }, { text: String(c.cases), cls: 'n' }];
    });
    var grid = el('div', { class: 'grid' });
    grid.appendChild(el('div', { class: 'card' }, el('h3', { text: t.unknownShare + ' (' + model.quarter + ')' }),
      simpleTable('unknown', [{ text: '' }, { text: t.unknownLocation, cls: 'n' }, { text: t.unknownSex, cls: 'n' }, { text: t.unknownAge, cls: 'n' }], unknownRows)));
    grid.appendChild(el('div', { class: 'card' }, el('h3', { text: t.unknownCodes }),
      codes.length ? simpleTable('unknown-codes', [{ text: t.field }, { text: t.code }, { text: t.cases, cls: 'n' }], codes) : el('p', { text: t.none })));
    return el(
      'section',
      { id: 'quality' },
      el('h2', { text: t.quality }),
      grid,
      el('div', { class: 'card', style: 'margin-top:16px;overflow-x:auto' }, el('h3', { text: t.runs }),
        runs.length ? simpleTable('runs', [t.started, t.status, t.window, t.batches, t.cases, t.services, t.rejects, t.nulled, t.removed, t.error].map(function (h, i) { return { text: h, cls: i >= 3 && i <= 8 ? 'n' : '' }; }), runs) : el('p', { text: t.none })),
      el('div', { class: 'card', style: 'margin-top:16px' }, el('h3', { text: t.notesByField }),
        notes.length ? simpleTable('notes', [{ text: t.kind }, { text: t.field }, { text: t.reason }, { text: t.count, cls: 'n' }], notes) : el('p', { text: t.none })),
    );
  }

  function render() {
    if (model.notice) {
      // No sync has completed: the server says so instead of sending figures.
      root.textContent = '';
      root.appendChild(el('main', null, el('p', { class: 'note', id: 'notice', role: 'status', text: model.notice })));
      document.body.setAttribute('data-ready', 'true');
      return;
    }
    var t = T();
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    document.documentElement.lang = lang;
    document.body.className = lang;
    document.title = t.pageTitle + ' — ' + model.quarter;
    root.textContent = '';
    root.appendChild(header());
    var main = el('main');
    main.appendChild(el('p', { class: 'note', text: t.suppressedNote.replace('{n1}', String(model.threshold - 1)).replace('{n}', String(model.threshold)) }));
    var kpis = el('div', { class: 'kpis' });
    model.indicators.forEach(function (ind) { kpis.appendChild(kpi(ind)); });
    main.appendChild(kpis);
    main.appendChild(trendChart());
    model.indicators.forEach(function (ind) { main.appendChild(indicatorSection(ind)); });
    main.appendChild(qualitySection());
    main.appendChild(el('footer', { text: t.generated + ' ' + model.generatedAt.replace('T', ' ').slice(0, 16) + ' UTC' }));
    root.appendChild(main);
    syncUrl();
    setTimeout(function () { document.body.setAttribute('data-ready', 'true'); });
  }

  function showError(e) {
    root.textContent = '';
    root.appendChild(el('p', { class: 'err', role: 'alert', text: 'Could not load the figures: ' + (e && e.message ? e.message : String(e)) }));
  }

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  var start = model ? Promise.resolve(model) : load(params.get('quarter'));
  start
    .then(function (m) {
      model = m;
      return document.fonts && document.fonts.ready ? document.fonts.ready : null;
    })
    .then(render, showError);
})();
