// The live page of infermetrics watch --serve: fetches api/history (this server only), draws the watch table and
// a card of small SVG charts per target, and polls again. Text from servers goes in through textContent only.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 240;
  const H = 56;

  const CHARTS = [
    {key: 'time_to_first_token_seconds_p95', title: 'TTFT p95', format: seconds},
    {key: 'request_rate_per_second', title: 'Requests/s', format: rate},
    {key: 'generation_token_rate_per_second', title: 'Tokens/s', format: rate},
    {key: 'kv_cache_usage_ratio', title: 'KV cache', format: percent, max: 1},
    {key: 'accelerator_utilization_ratio', title: 'Accelerator', format: percent, max: 1},
    {key: 'goodput', title: 'SLO goodput', format: percent, max: 1},
    {key: 'saturation_ratio', title: 'Saturation', format: percent, max: 1},
  ];

  let period = 5;
  let timer = null;
  let running = false;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  function threeDigits(v) {
    const a = Math.abs(v);
    return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
  }

  function seconds(v) {
    const a = Math.abs(v);
    if (a === 0) return '0 s';
    if (a < 1e-3) return threeDigits(v * 1e6) + ' µs';
    if (a < 1) return threeDigits(v * 1e3) + ' ms';
    return threeDigits(v) + ' s';
  }

  function rate(v) {
    return v > 0 && v < 0.05 ? '<0.1' : v.toFixed(1);
  }

  function percent(v) {
    return (v * 100).toFixed(1) + '%';
  }

  function last(values) {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
    return null;
  }

  function span(ms) {
    const s = Math.round(ms / 1000);
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    return (s / 3600).toFixed(1) + ' h';
  }

  // a round upper bound for the y axis: 1, 2 or 5 times a power of ten
  function ceiling(max) {
    if (!(max > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(max)));
    for (const m of [1, 2, 5, 10]) if (max <= m * p) return m * p;
    return 10 * p;
  }

  function path(at, values, t0, t1, top) {
    let d = '';
    let open = false;
    const points = [];
    for (let i = 0; i < at.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        open = false;
        continue;
      }
      const x = t1 > t0 ? ((at[i] - t0) / (t1 - t0)) * W : W;
      const y = H - (Math.min(v, top) / top) * (H - 2) - 1;
      d += (open ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      open = true;
      points.push([x, y]);
    }
    return {d: d, points: points};
  }

  function chart(spec, at, series, t0, t1, bound) {
    const fig = el('figure', 'chart');
    fig.dataset.kpi = spec.key;
    const cap = el('figcaption');
    cap.append(el('span', 'name', spec.title));
    const latest = series.length === 1 ? last(series[0].values) : Math.min(...series.map((s) => last(s.values) ?? 1));
    // a value that is only a bound (a p95 in a histogram's first bucket) shows the bound, as the table does
    const shown = latest === null ? '–' : bound ? (bound.bound === 'upper' ? '≤' : '>') + spec.format(bound.limit)
      : spec.format(latest);
    cap.append(el('span', 'value', shown));
    fig.append(cap);
    let max = 0;
    for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
    const top = spec.max !== undefined ? spec.max : ceiling(max);
    const g = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img',
      'aria-label': spec.title + ' over the last ' + at.length + ' windows'});
    g.append(svg('rect', {class: 'frame', x: 0, y: 0, width: W, height: H, 'vector-effect': 'non-scaling-stroke'}));
    series.forEach((s, i) => {
      const p = path(at, s.values, t0, t1, top);
      if (!p.d) return;
      const cls = 's' + (i % 4);
      if (series.length === 1 && p.points.length > 1) {
        const first = p.points[0];
        const end = p.points[p.points.length - 1];
        g.append(svg('path', {class: 'area ' + cls,
          d: p.d + 'L' + end[0].toFixed(1) + ' ' + H + 'L' + first[0].toFixed(1) + ' ' + H + 'Z'}));
      }
      g.append(svg('path', {class: 'line ' + cls, d: p.d, 'vector-effect': 'non-scaling-stroke'}));
      const end = p.points[p.points.length - 1];
      g.append(svg('circle', {class: 'dot ' + cls, cx: end[0].toFixed(1), cy: end[1].toFixed(1), r: 2}));
    });
    fig.append(g);
    const scale = el('div', 'scale');
    scale.append(el('span', '', 'max ' + spec.format(top)));
    scale.append(el('span', '', at.length > 1 ? 'last ' + span(t1 - t0) : at.length + ' window'));
    fig.append(scale);
    if (series.length > 1 || series[0].name) {
      // several lines (one per objective): the caption has the worst, the legend each one's latest
      const legend = el('div', 'legend');
      series.forEach((s, i) => {
        const v = last(s.values);
        legend.append(el('span', 's' + (i % 4), s.name + ' ' + (v === null ? '–' : spec.format(v))));
      });
      fig.append(legend);
    }
    return fig;
  }

  function card(t, t0, t1) {
    const card = el('article', 'target');
    card.dataset.target = t.target;
    const head = el('div', 'target-head');
    head.append(el('h3', '', t.target));
    head.append(el('span', 'badge ' + t.state, t.state));
    if (t.sources.length) head.append(el('span', 'sources', t.sources.join(' + ')));
    card.append(head);
    if (t.error) card.append(el('p', 'error', t.error));
    const charts = el('div', 'charts');
    const at = t.points.at;
    for (const spec of CHARTS) {
      let series;
      if (spec.key === 'goodput') {
        series = Object.keys(t.goodput).map((slo) => ({name: slo, values: t.goodput[slo]}));
      } else {
        series = [{name: '', values: t.points[spec.key] || []}];
      }
      series = series.filter((s) => s.values.some((v) => v !== null));
      if (series.length) charts.append(chart(spec, at, series, t0, t1, t.bounds && t.bounds[spec.key]));
    }
    if (charts.childElementCount) {
      card.append(charts);
    } else {
      card.append(el('p', 'empty', at.length ? 'no charted KPI in its windows' : 'no window yet'));
    }
    return card;
  }

  function table(rows) {
    const t = document.getElementById('table');
    const head = t.tHead;
    const body = t.tBodies[0];
    const width = rows.length ? rows[0].length : 0;
    const tr = el('tr');
    (rows[0] || []).forEach((h, i) => tr.append(el('th', i >= 3 ? 'num' : '', h)));
    head.replaceChildren(tr);
    const trs = rows.slice(1).map((r) => {
      const row = el('tr');
      r.forEach((c, i) => {
        const short = r.length < width && i === r.length - 1;
        const td = el('td', short ? 'note' : i >= 3 ? 'num' : '', c);
        if (short) td.colSpan = width - i;
        row.append(td);
      });
      return row;
    });
    body.replaceChildren(...trs);
  }

  function render(data) {
    table(data.table);
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const t of data.targets) {
      const at = t.points.at;
      if (at.length) {
        t0 = Math.min(t0, at[0]);
        t1 = Math.max(t1, at[at.length - 1]);
      }
    }
    const cards = data.targets.map((t) => card(t, t0, t1));
    document.getElementById('targets').replaceChildren(...cards);
    const status = document.getElementById('status');
    status.className = 'status';
    status.textContent = data.targets.length + ' target' + (data.targets.length === 1 ? '' : 's') + ' · updated '
      + new Date(data.at).toLocaleTimeString() + ' · a window every ' + data.interval_seconds + ' s';
  }

  async function refresh() {
    timer = null;
    if (running) return;
    running = true;
    const abort = new AbortController();
    const limit = setTimeout(() => abort.abort(), 10000);
    try {
      const r = await fetch('api/history', {cache: 'no-store', signal: abort.signal});
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const data = await r.json();
      render(data);
      // windows end at each target's own offset within the interval: look twice per interval
      period = Math.min(30, Math.max(1, data.interval_seconds / 2));
    } catch (e) {
      const status = document.getElementById('status');
      status.className = 'status error';
      status.textContent = 'cannot reach the watch (' + (e.name === 'AbortError' ? 'timed out' : e.message)
        + '); trying again';
    } finally {
      clearTimeout(limit);
      running = false;
      if (!document.hidden) timer = setTimeout(refresh, period * 1000);
    }
  }

  // a hidden tab does not poll; it catches up when shown
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && timer === null) refresh();
  });
  refresh();
})();
