// edgesocket console, live charts: polls GET /api/stats every second and draws the last 15 minutes of each
// zone on canvases. Plain JavaScript, no library. console.js starts it once the AccessKey works:
// window.edgesocketCharts.start(key), and shows one zone's panel: window.edgesocketCharts.select(name). Only the
// selected zone is drawn; every poll also sends an 'edgesocket:stats' event with each zone's latest second (and each
// node's, in cluster mode) and the server's queued-bytes budget, which the overview table shows.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const WINDOW = 900; // seconds shown: what the server keeps
  const POLL_MS = 1000;
  const COLORS = ['#2a6fdb', '#e8590c', '#2b8a3e', '#9c36b5', '#c92a2a', '#0b7285', '#5c940d', '#862e9c', '#d9480f', '#495057'];

  // What each zone panel draws: a chart per entry, its lines taken from a row of samples.
  const CHARTS = [
    { key: 'open', title: 'Open connections', unit: '', lines: [{ label: 'open', value: (r) => r.open }] },
    { key: 'upgrades', title: 'Upgrades/s', unit: '/s', lines: [
      { label: 'accepted', value: (r) => r.upgradesAccepted }, { label: 'refused', value: (r) => r.upgradesRefused }] },
    { key: 'messages', title: 'Messages/s', unit: '/s', lines: [
      { label: 'in', value: (r) => r.messagesIn }, { label: 'out', value: (r) => r.messagesOut }] },
    { key: 'bytes', title: 'Bytes/s', unit: 'B/s', lines: [
      { label: 'in', value: (r) => r.bytesIn }, { label: 'out', value: (r) => r.bytesOut }] },
    { key: 'closes', title: 'Closes/s by code', unit: '/s', lines: null }, // one line per code seen
    { key: 'ping', title: 'Ping round trip (ms, last 30 s)', unit: ' ms', lines: [
      { label: 'p50', value: (r) => r.pingP50Ms }, { label: 'p99', value: (r) => r.pingP99Ms }] },
    // Only for a zone with an origin (Pull Zone or middleware): shown while its rows have origin columns.
    { key: 'origin', title: 'Origin connects/s and failures/s', unit: '/s', origin: true, lines: [
      { label: 'connects', value: (r) => r.originConnects }, { label: 'failures', value: (r) => r.originFailures }] },
    { key: 'origin-connect', title: 'Origin connect time (ms, mean)', unit: ' ms', origin: true, lines: [
      { label: 'mean', value: (r) => r.originConnectMs }] },
  ];
  // Cluster mode: per-node lines of a few of the same values.
  const NODE_CHARTS = [
    { key: 'nodes-open', title: 'Open connections by node', unit: '', value: (r) => r.open },
    { key: 'nodes-messages', title: 'Messages in/s by node', unit: '/s', value: (r) => r.messagesIn },
  ];

  let key = '';
  let timer = null;
  let generation = 0; // a restart with another key leaves an older poll in flight: it stops at its end
  let lastT = 0;
  let selected = null; // the zone whose panel shows
  const zones = new Map(); // zone name -> { rows: [samples, oldest first], nodes: Map(node -> rows) }

  // ---- data: columns from the API to rows, merged by second
  function rowsOf(series) {
    const rows = [];
    for (let i = 0; i < series.t.length; i++) {
      const closes = {};
      for (const [code, column] of Object.entries(series.closes || {})) closes[code] = column[i];
      rows.push({
        t: series.t[i], open: series.open[i], upgradesAccepted: series.upgradesAccepted[i],
        upgradesRefused: series.upgradesRefused[i], messagesIn: series.messagesIn[i], messagesOut: series.messagesOut[i],
        bytesIn: series.bytesIn[i], bytesOut: series.bytesOut[i], closes,
        pingP50Ms: series.pingP50Ms[i], pingP99Ms: series.pingP99Ms[i],
        // Absent for a zone without an origin (and from an older server): null, drawn as a gap.
        originConnects: series.originConnects ? series.originConnects[i] : null,
        originFailures: series.originFailures ? series.originFailures[i] : null,
        originConnectMs: series.originConnectMs ? series.originConnectMs[i] : null,
      });
    }
    return rows;
  }
  // Newer rows replace what was kept from their first second on (a cluster total may gain a late node's part).
  function merge(kept, fresh, now) {
    const from = fresh.length ? fresh[0].t : Infinity;
    return kept.filter((r) => r.t < from && r.t > now - WINDOW).concat(fresh);
  }

  // ---- drawing
  // A round step for about four grid lines up to `value`.
  function niceStep(value) {
    if (!(value > 0)) return 1;
    const raw = value / 4;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * power) return m * power;
    return 10 * power;
  }
  function format(value, unit) {
    if (value === null || value === undefined) return '-';
    if (unit === 'B/s') {
      const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
      let i = 0;
      while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
      return (i === 0 ? Math.round(value) : value.toFixed(1)) + ' ' + units[i];
    }
    const text = Number.isInteger(value) ? String(value) : value < 10 ? value.toFixed(2) : value.toFixed(1);
    return text + unit;
  }

  // The span drawn: the last 15 minutes, or less while the server has kept less (at least a minute).
  function spanOf(rows, now) {
    return rows.length ? Math.min(WINDOW, Math.max(60, now - rows[0].t + 1)) : 60;
  }
  function tickStep(span) {
    for (const step of [10, 15, 30, 60, 120, 180, 300]) if (span / step <= 6) return step;
    return 300;
  }
  // Byte rates step by powers of 1024 times 1, 2, 2.5 or 5, so that labels read 0, 256 KB/s, 512 KB/s...
  function byteStep(value) {
    if (!(value > 0)) return 256;
    let unit = 1;
    while (value / 4 >= 1024 * unit && unit < Math.pow(1024, 3)) unit *= 1024;
    return niceStep(value / unit) * unit;
  }
  function axis(value) {
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
  }

  // Draws lines [{label, color, points: [[t, v|null]...]}] over the last `span` seconds up to now.
  function draw(canvas, lines, now, span, unit) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 300, height = canvas.clientHeight || 140;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    let max = 0;
    for (const line of lines) for (const [t, v] of line.points) if (v !== null && t > now - span && v > max) max = v;
    const step = unit === 'B/s' ? byteStep(max) : niceStep(max);
    max = Math.max(step, Math.ceil(max / step - 1e-9) * step);
    const levels = [];
    for (let v = 0; v <= max + step / 2; v += step) levels.push([v, unit === 'B/s' ? format(v, 'B/s') : axis(v)]);
    g.font = '11px system-ui, sans-serif';
    // The plot starts after the widest label of the value axis.
    const left = 8 + Math.max(...levels.map(([, label]) => g.measureText(label).width)), right = 8, top = 8, bottom = 18;
    const plotW = width - left - right, plotH = height - top - bottom;
    const x = (t) => left + plotW * (1 - (now - t) / span);
    const y = (v) => top + plotH * (1 - v / max);
    g.fillStyle = '#555';
    g.strokeStyle = '#e3e3e3';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const [v, label] of levels) {
      g.beginPath(); g.moveTo(left, Math.round(y(v)) + 0.5); g.lineTo(left + plotW, Math.round(y(v)) + 0.5); g.stroke();
      g.fillText(label, left - 4, y(v));
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const every = tickStep(span);
    for (let back = 0; back <= span; back += every) {
      const px = x(now - back);
      const label = back === 0 ? 'now' : back < 60 || back % 60 ? '-' + back + ' s' : '-' + back / 60 + ' min';
      g.beginPath(); g.moveTo(Math.round(px) + 0.5, top); g.lineTo(Math.round(px) + 0.5, top + plotH); g.stroke();
      const half = g.measureText(label).width / 2;
      if (px - half >= left - 12) g.fillText(label, Math.min(px, width - half - 1), top + plotH + 3); // none under the value axis
    }
    g.save();
    g.beginPath(); g.rect(left, 0, plotW + 1, height); g.clip();
    g.lineJoin = 'round';
    lines.forEach((line, index) => {
      // The first line a little wider, so that two equal lines (in and out of an echo) both show.
      g.lineWidth = index === 0 ? 3 : 1.5;
      g.strokeStyle = line.color;
      g.beginPath();
      let pen = false, previous = null;
      for (const [t, v] of line.points) {
        // A missing second (or a missing value) breaks the line rather than drawing across the gap.
        if (v === null || v === undefined || (previous !== null && t - previous > 2)) { pen = false; }
        if (v !== null && v !== undefined) {
          if (pen) g.lineTo(x(t), y(v)); else g.moveTo(x(t), y(v));
          pen = true;
        }
        previous = t;
      }
      g.stroke();
    });
    g.restore();
  }

  function chart(id, title) {
    const figure = document.createElement('figure');
    figure.className = 'chart';
    const caption = document.createElement('figcaption');
    const name = document.createElement('span');
    name.className = 'chart-title'; name.textContent = title;
    const legend = document.createElement('span');
    legend.className = 'legend'; legend.id = id + '-legend';
    caption.append(name, legend);
    const canvas = document.createElement('canvas');
    canvas.id = id; canvas.setAttribute('role', 'img'); canvas.setAttribute('aria-label', title);
    figure.append(caption, canvas);
    return figure;
  }

  // Draws one chart and writes its legend (latest values) and data-* attributes the tests read.
  function update(id, title, lines, now, span, unit) {
    const canvas = $(id);
    draw(canvas, lines, now, span, unit);
    const latest = lines.map((l) => {
      const last = l.points.length ? l.points[l.points.length - 1][1] : null;
      return { label: l.label, color: l.color, text: format(last, unit) };
    });
    const legend = $(id + '-legend');
    legend.replaceChildren(...latest.map((l) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = l.color;
      item.append(swatch, ` ${l.label} ${l.text}`);
      return item;
    }));
    canvas.setAttribute('aria-label', title + ': ' + (latest.map((l) => l.label + ' ' + l.text).join(', ') || 'no data'));
    canvas.dataset.points = String(Math.max(0, ...lines.map((l) => l.points.length)));
    canvas.dataset.total = String(lines.reduce((s, l) => s + l.points.reduce((a, [, v]) => a + (v || 0), 0), 0));
  }

  function panel(zone) {
    const box = document.createElement('article');
    box.className = 'zone-charts';
    box.id = 'charts-' + zone.name;
    box.setAttribute('aria-label', 'Charts of zone ' + zone.name);
    box.hidden = zone.name !== selected;
    const title = document.createElement('h3');
    title.textContent = 'Live charts';
    const grid = document.createElement('div');
    grid.className = 'chart-grid';
    for (const c of CHARTS) {
      const figure = chart(`chart-${zone.name}-${c.key}`, c.title);
      if (c.origin) figure.hidden = !zone.series.originConnects; // until a zone gains an origin at run time
      grid.append(figure);
    }
    const nodes = document.createElement('div');
    nodes.className = 'chart-nodes'; nodes.id = 'chart-nodes-' + zone.name;
    box.append(title, grid, nodes);
    return box;
  }

  function renderZone(name, state, now) {
    const rows = state.rows;
    const span = spanOf(rows, now);
    const hasOrigin = rows.some((r) => r.originConnects !== null && r.originConnects !== undefined);
    for (const c of CHARTS) {
      if (c.origin) {
        const figure = $(`chart-${name}-${c.key}`).closest('figure');
        figure.hidden = !hasOrigin;
        if (!hasOrigin) continue;
      }
      let lines;
      if (c.lines) {
        lines = c.lines.map((l, i) => ({ label: l.label, color: COLORS[i], points: rows.map((r) => [r.t, l.value(r)]) }));
      } else {
        const codes = [...new Set(rows.flatMap((r) => Object.keys(r.closes)))].sort();
        lines = codes.map((code, i) => ({ label: code, color: COLORS[i % COLORS.length], points: rows.map((r) => [r.t, r.closes[code] || 0]) }));
      }
      update(`chart-${name}-${c.key}`, c.title, lines, now, span, c.unit);
    }
    const nodesBox = $('chart-nodes-' + name);
    if (state.nodes.size === 0) { nodesBox.replaceChildren(); return; }
    if (!nodesBox.firstChild) {
      const heading = document.createElement('h4');
      heading.textContent = 'Per node';
      const grid = document.createElement('div');
      grid.className = 'chart-grid';
      for (const c of NODE_CHARTS) grid.append(chart(`chart-${name}-${c.key}`, c.title));
      const table = document.createElement('table');
      table.id = 'chart-node-table-' + name;
      table.innerHTML = '<caption>Each node, last second</caption><thead><tr><th scope="col">Node</th><th scope="col">Open</th>' +
        '<th scope="col">Upgrades/s</th><th scope="col">Messages/s in/out</th><th scope="col">Bytes/s in/out</th>' +
        '<th scope="col">Ping p50/p99</th></tr></thead><tbody></tbody>';
      nodesBox.append(heading, grid, table);
    }
    const names = [...state.nodes.keys()].sort();
    for (const c of NODE_CHARTS) {
      const lines = names.map((node, i) => ({ label: node, color: COLORS[i % COLORS.length],
        points: state.nodes.get(node).map((r) => [r.t, c.value(r)]) }));
      update(`chart-${name}-${c.key}`, c.title, lines, now, span, c.unit);
    }
    const body = $('chart-node-table-' + name).tBodies[0];
    body.replaceChildren(...names.map((node) => {
      const rowsOfNode = state.nodes.get(node);
      const r = rowsOfNode[rowsOfNode.length - 1];
      const tr = document.createElement('tr');
      tr.dataset.node = node;
      const cells = r ? [node, format(r.open, ''), format(r.upgradesAccepted, '') + ' / ' + format(r.upgradesRefused, '') + ' refused',
        format(r.messagesIn, '') + ' / ' + format(r.messagesOut, ''), format(r.bytesIn, 'B/s') + ' / ' + format(r.bytesOut, 'B/s'),
        format(r.pingP50Ms, '') + ' / ' + format(r.pingP99Ms, ' ms')] : [node, '-', '-', '-', '-', '-'];
      for (const v of cells) { const td = document.createElement('td'); td.textContent = v; tr.appendChild(td); }
      return tr;
    }));
  }

  // ---- polling
  async function poll(run) {
    timer = null;
    if (!key || run !== generation) return;
    if ($('charts-pause').checked || document.hidden) { timer = setTimeout(() => poll(run), POLL_MS); return; }
    try {
      // A few seconds back: a cluster total's newest second may have been missing a node's part.
      const since = lastT > 0 ? lastT - 3 : 0;
      const response = await fetch('/api/stats?since=' + since, { headers: { AccessKey: key } });
      const json = await response.json();
      if (run !== generation) return;
      if (!response.ok) throw new Error(json && json.message ? json.message : response.status + ' ' + response.statusText);
      let now = lastT;
      for (const zone of json.zones) for (const t of zone.series.t) now = Math.max(now, t);
      const box = $('charts');
      const seen = new Set();
      const latest = {};
      for (const zone of json.zones) {
        seen.add(zone.name);
        let state = zones.get(zone.name);
        if (!state) {
          state = { rows: [], nodes: new Map() };
          zones.set(zone.name, state);
          box.appendChild(panel(zone));
        }
        state.rows = merge(state.rows, rowsOf(zone.series), now);
        for (const [node, series] of Object.entries(zone.nodes || {})) {
          state.nodes.set(node, merge(state.nodes.get(node) || [], rowsOf(series), now));
        }
        for (const [node, rows] of state.nodes) { // a node that left the cluster drops out after the window
          if (!rows.length || rows[rows.length - 1].t <= now - WINDOW) state.nodes.delete(node);
        }
        if (zone.name === selected) renderZone(zone.name, state, now);
        const last = (rows) => (rows.length ? rows[rows.length - 1] : null);
        latest[zone.name] = { row: last(state.rows), nodes: Object.fromEntries([...state.nodes].map(([n, r]) => [n, last(r)])) };
      }
      for (const name of [...zones.keys()]) {
        if (!seen.has(name)) { zones.delete(name); const gone = $('charts-' + name); if (gone) gone.remove(); }
      }
      lastT = now;
      document.dispatchEvent(new CustomEvent('edgesocket:stats', { detail: { latest, budget: json.budget, node: json.node } }));
      const problems = [json.problem, json.unanswered && json.unanswered.length ? 'No answer from ' + json.unanswered.join(', ') + '.' : null];
      $('charts-status').textContent = 'Updated ' + new Date(now * 1000).toLocaleTimeString() +
        (json.node ? ` by node ${json.node}` : '') + '. ' + problems.filter(Boolean).join(' ');
      $('charts-error').textContent = '';
    } catch (err) {
      $('charts-error').textContent = 'Charts: ' + err.message;
    }
    if (run === generation) timer = setTimeout(() => poll(run), POLL_MS);
  }

  window.edgesocketCharts = {
    /** Starts (or restarts with another key) polling the stats endpoint. */
    /** Shows the panel of one zone (drawn at once from what is kept) and hides the others. */
    select(name) {
      selected = name;
      for (const panel of $('charts').children) panel.hidden = panel.id !== 'charts-' + name;
      const state = zones.get(name);
      if (state && $('charts-' + name)) renderZone(name, state, lastT);
    },
    start(accessKey) {
      key = accessKey;
      if (timer) clearTimeout(timer);
      const run = ++generation;
      timer = setTimeout(() => poll(run), 0);
    },
  };
})();
