// edgesocket console: plain JavaScript, no dependencies, no external resources. The live charts are in charts.js.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
  let socket = null;
  let accessKey = ''; // only in this page's memory

  function time() { return new Date().toISOString().substring(11, 23); }
  function hex(bytes) {
    return Array.from(bytes.slice(0, 64)).map((b) => b.toString(16).padStart(2, '0')).join(' ') + (bytes.length > 64 ? ' …' : '');
  }
  function log(kind, text, size) {
    const item = document.createElement('li');
    item.className = kind;
    const arrow = kind === 'in' ? '←' : kind === 'out' ? '→' : '•';
    item.textContent = `${time()} ${arrow} ${size === undefined ? '' : '[' + size + ' B] '}${text}`;
    $('log').appendChild(item);
    $('log').scrollTop = $('log').scrollHeight;
  }
  function refreshState() {
    const state = socket ? socket.readyState : 3;
    $('ready-state').textContent = STATES[state];
    const open = state === 1;
    $('send').disabled = !open;
    $('close').disabled = !open;
    $('disconnect').disabled = !(state === 0 || state === 1);
    $('connect').disabled = state === 0 || state === 1;
  }

  $('connect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const path = $('zone-path').value.trim() || '/echo';
    const protocols = $('subprotocols').value.split(',').map((p) => p.trim()).filter(Boolean);
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + (path.startsWith('/') ? path : '/' + path);
    $('protocol').textContent = '-';
    try {
      socket = protocols.length ? new WebSocket(url, protocols) : new WebSocket(url);
    } catch (err) {
      log('info', 'Cannot connect: ' + err.message);
      return;
    }
    socket.binaryType = 'arraybuffer';
    log('info', 'Connecting to ' + url + (protocols.length ? ' offering ' + protocols.join(', ') : ''));
    const current = socket;
    socket.addEventListener('open', () => {
      $('protocol').textContent = current.protocol || '(none)';
      log('info', 'Open' + (current.protocol ? ' with protocol ' + current.protocol : ''));
      refreshState();
    });
    socket.addEventListener('message', (ev) => {
      if (typeof ev.data === 'string') {
        log('in', ev.data, new TextEncoder().encode(ev.data).length);
      } else {
        const bytes = new Uint8Array(ev.data);
        log('in', 'binary ' + hex(bytes), bytes.length);
      }
    });
    socket.addEventListener('error', () => log('info', 'Error: the connection failed or was refused'));
    socket.addEventListener('close', (ev) => {
      const text = `${ev.code} ${ev.reason || '(no reason)'} wasClean=${ev.wasClean}`;
      $('last-close').textContent = text;
      log('info', 'Closed: ' + text);
      refreshState();
    });
    refreshState();
  });

  $('disconnect').addEventListener('click', () => { if (socket) { socket.close(); refreshState(); } });

  $('close-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!socket) return;
    try {
      socket.close(Number($('close-code').value), $('close-reason').value);
      log('info', 'Closing with ' + $('close-code').value);
    } catch (err) {
      log('info', 'Close refused by the browser: ' + err.message);
    }
    refreshState();
  });

  $('send-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('send-error').textContent = '';
    if (!socket || socket.readyState !== 1) return;
    const text = $('message').value;
    const mode = $('send-mode').value;
    if (mode === 'json') {
      try { JSON.parse(text); } catch (err) { $('send-error').textContent = 'Not valid JSON: ' + err.message; return; }
    }
    if (mode === 'binary') {
      const parts = text.trim().split(/[\s,]+/).filter(Boolean);
      if (parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) { $('send-error').textContent = 'Binary mode takes hex bytes, e.g. 01 02 ff'; return; }
      const bytes = new Uint8Array(parts.map((p) => parseInt(p, 16)));
      socket.send(bytes);
      log('out', 'binary ' + hex(bytes), bytes.length);
    } else {
      socket.send(text);
      log('out', text, new TextEncoder().encode(text).length);
    }
  });

  $('clear-log').addEventListener('click', () => { $('log').textContent = ''; });

  // ---- config API
  async function api(method, path, body) {
    const options = { method, headers: { AccessKey: accessKey } };
    if (body !== undefined) { options.headers['Content-Type'] = 'application/json'; options.body = JSON.stringify(body); }
    const response = await fetch(path, options);
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const details = json && json.errors ? ' ' + Object.entries(json.errors).map(([k, v]) => k + ': ' + v).join('; ') : '';
      throw new Error((json && json.message ? json.message : response.status + ' ' + response.statusText) + details);
    }
    return json;
  }

  function field(zone, name, label, value, type) {
    const id = `z-${zone}-${name}`;
    const wrap = document.createElement('div');
    const l = document.createElement('label');
    l.htmlFor = id; l.textContent = label;
    const input = document.createElement('input');
    input.id = id; input.name = name;
    if (type === 'checkbox') { input.type = 'checkbox'; input.checked = value; } else { input.type = type; input.value = value; }
    wrap.append(l, input);
    return wrap;
  }

  // ---- zone settings: a folded form per zone beside its charts; only the selected zone's shows
  const known = new Map(); // zone name -> the zone as /api/zones last gave it
  let selected = null;

  function settingsSummary(ws) {
    return [ws.enabled ? 'enabled' : 'disabled', 'max ' + ws.maxConnections + ' connections', 'idle ' + ws.idleTimeout + ' s',
      'max message ' + ws.maxMessageSize + ' B', ws.subprotocols.length ? ws.subprotocols.join(', ') : 'no subprotocols'].join(' · ');
  }

  function renderZone(zone, open) {
    const side = document.createElement('div');
    side.className = 'zone-side';
    side.id = 'side-' + zone.name;
    side.hidden = zone.name !== selected;
    const details = document.createElement('details');
    details.id = 'settings-' + zone.name;
    details.open = !!open;
    const summary = document.createElement('summary');
    const summaryTitle = document.createElement('span');
    summaryTitle.textContent = 'Settings';
    const summaryText = document.createElement('small');
    summaryText.className = 'settings-summary';
    summaryText.textContent = settingsSummary(zone.websockets);
    summary.append(summaryTitle, summaryText);
    const box = document.createElement('form');
    box.className = 'zone';
    box.id = 'zone-' + zone.name;
    box.setAttribute('aria-label', 'Settings of zone ' + zone.name);
    const ws = zone.websockets;
    box.append(
      field(zone.name, 'enabled', 'WebSockets enabled', ws.enabled, 'checkbox'),
      field(zone.name, 'requireOrigin', 'Require an Origin header', ws.requireOrigin, 'checkbox'),
      field(zone.name, 'subprotocols', 'Subprotocols', ws.subprotocols.join(', '), 'text'),
      field(zone.name, 'allowedOrigins', 'Allowed origins (empty: any)', ws.allowedOrigins.join(', '), 'text'),
      field(zone.name, 'idleTimeout', 'Idle timeout (s)', ws.idleTimeout, 'number'),
      field(zone.name, 'maxIdle', 'Max idle (s)', ws.maxIdle, 'number'),
      field(zone.name, 'maxConnections', 'Max connections', ws.maxConnections, 'number'),
      field(zone.name, 'maxMessageSize', 'Max message size (bytes)', ws.maxMessageSize, 'number'),
      field(zone.name, 'maxBufferedAmount', 'Max buffered amount (bytes)', ws.maxBufferedAmount, 'number'));
    const save = document.createElement('button');
    save.type = 'submit'; save.textContent = 'Save ' + zone.name; save.id = 'save-' + zone.name;
    const error = document.createElement('p');
    error.className = 'error'; error.setAttribute('role', 'alert'); error.id = 'error-' + zone.name;
    box.append(save, error);
    details.append(summary, box);
    const sessionsTitle = document.createElement('h3');
    sessionsTitle.textContent = 'Sessions';
    const sessionsButton = document.createElement('button');
    sessionsButton.type = 'button'; sessionsButton.textContent = 'List sessions of ' + zone.name; sessionsButton.id = 'sessions-' + zone.name;
    const sessionsError = document.createElement('p');
    sessionsError.className = 'error'; sessionsError.setAttribute('role', 'alert'); sessionsError.id = 'sessions-error-' + zone.name;
    const sessions = document.createElement('div');
    sessions.id = 'session-list-' + zone.name;
    sessions.className = 'session-list';
    side.append(details, sessionsTitle, sessionsButton, sessionsError, sessions);
    box.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      const value = (n) => box.elements[n].value;
      const number = (n) => (value(n).trim() === '' || isNaN(Number(value(n))) ? value(n) : Number(value(n)));
      const patch = {
        enabled: box.elements.enabled.checked,
        subprotocols: value('subprotocols').split(',').map((p) => p.trim()).filter(Boolean),
        idleTimeout: number('idleTimeout'), maxIdle: number('maxIdle'), maxConnections: number('maxConnections'),
        maxMessageSize: number('maxMessageSize'), maxBufferedAmount: number('maxBufferedAmount'),
        allowedOrigins: value('allowedOrigins').split(',').map((o) => o.trim()).filter(Boolean),
        requireOrigin: box.elements.requireOrigin.checked,
      };
      try {
        const updated = await api('PATCH', '/api/zones/' + encodeURIComponent(zone.name), { websockets: patch });
        known.set(updated.name, updated);
        // Replace what is shown now (an earlier save may already have replaced this form), still unfolded.
        const shown = document.getElementById('side-' + zone.name) || side;
        shown.replaceWith(renderZone(updated, true));
        overviewRow(updated);
        log('info', 'Saved zone ' + zone.name);
      } catch (err) { error.textContent = err.message; }
    });
    sessionsButton.addEventListener('click', () => listSessions(zone.name, sessions, sessionsError));
    return side;
  }

  // ---- the overview: a row per zone (and per node under it in cluster mode); a click selects the zone
  const rates = {}; // zone name -> {row, nodes} from the charts' latest poll
  function kindOf(zone) {
    if (zone.kind) return zone.kind;
    return zone.origin && zone.origin.url ? 'Pull Zone' : 'standalone';
  }
  function rate(v) {
    if (v === null || v === undefined) return '-';
    return Number.isInteger(v) ? String(v) : v < 10 ? v.toFixed(1) : String(Math.round(v));
  }
  function cells(row, values) {
    row.replaceChildren(...values.map(([col, text, title]) => {
      const cell = document.createElement(col === 'name' ? 'th' : 'td');
      if (col === 'name') cell.scope = 'row';
      cell.dataset.col = col;
      if (['open', 'upgrades', 'refusals', 'messages'].includes(col)) cell.className = 'num';
      if (title) cell.title = title;
      cell.textContent = text;
      return cell;
    }));
  }
  function refused(c) { return (c.refusedDisabled || 0) + (c.refusedLimit || 0) + (c.refusedOrigin || 0); }
  function refusedTitle(c) {
    return `disabled ${c.refusedDisabled || 0}, over the limit ${c.refusedLimit || 0}, origin ${c.refusedOrigin || 0}, since start`;
  }
  function overviewRow(zone) {
    const body = $('zone-rows');
    let row = document.getElementById('row-' + zone.name);
    if (!row) {
      row = document.createElement('tr');
      row.id = 'row-' + zone.name;
      row.className = 'zone-row';
      row.dataset.zone = zone.name;
      row.tabIndex = 0;
      row.setAttribute('aria-label', 'Zone ' + zone.name + ': show its charts and settings');
      row.addEventListener('click', () => select(zone.name));
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(zone.name); } });
      body.appendChild(row);
    }
    const r = rates[zone.name] && rates[zone.name].row;
    cells(row, [['name', zone.name], ['kind', kindOf(zone)], ['path', zone.path], ['open', String(zone.live.openSockets)],
      ['upgrades', r ? rate(r.upgradesAccepted) : '-', r ? rate(r.upgradesRefused) + ' refused/s' : ''],
      ['refusals', String(refused(zone.live)), refusedTitle(zone.live)],
      ['messages', r ? rate(r.messagesIn) + ' / ' + rate(r.messagesOut) : '-']]);
    row.classList.toggle('selected', zone.name === selected);
    row.setAttribute('aria-selected', String(zone.name === selected));
    // Cluster mode: a row per node under its zone's.
    let next = row.nextElementSibling;
    while (next && next.classList.contains('node-row')) { const gone = next; next = next.nextElementSibling; gone.remove(); }
    const nodes = Object.entries(zone.live.nodes || {}).sort(([a], [b]) => a.localeCompare(b));
    let after = row;
    for (const [node, c] of nodes) {
      const nodeRow = document.createElement('tr');
      nodeRow.className = 'node-row';
      nodeRow.dataset.zone = zone.name; nodeRow.dataset.node = node;
      const nr = rates[zone.name] && rates[zone.name].nodes[node];
      cells(nodeRow, [['node', '↳ ' + node], ['kind', 'node'], ['path', ''], ['open', String(c.openSockets)],
        ['upgrades', nr ? rate(nr.upgradesAccepted) : '-'], ['refusals', String(refused(c)), refusedTitle(c)],
        ['messages', nr ? rate(nr.messagesIn) + ' / ' + rate(nr.messagesOut) : '-']]);
      after.after(nodeRow);
      after = nodeRow;
    }
  }
  function showZones(zones) {
    zones = [...zones].sort((a, b) => a.path.localeCompare(b.path) || a.name.localeCompare(b.name)); // by path, as routes read
    const names = new Set(zones.map((z) => z.name));
    for (const row of [...$('zone-rows').children]) if (!names.has(row.dataset.zone)) row.remove();
    for (const name of [...known.keys()]) {
      if (!names.has(name)) { known.delete(name); const side = document.getElementById('side-' + name); if (side) side.remove(); }
    }
    for (const zone of zones) {
      if (!known.has(zone.name)) $('zones').appendChild(renderZone(zone, false));
      known.set(zone.name, zone);
      overviewRow(zone);
    }
    if (zones.length === 0) $('zone-rows').replaceChildren(Object.assign(document.createElement('tr'), { className: 'empty', innerHTML: '<td colspan="7">This server has no zones.</td>' }));
    if ((!selected || !known.has(selected)) && zones.length) select(zones[0].name);
  }
  function select(name) {
    selected = name;
    const zone = known.get(name);
    $('zone-detail').hidden = false;
    $('detail-title').textContent = 'Zone ' + name + (zone ? ' (' + zone.path + ')' : '');
    for (const row of $('zone-rows').querySelectorAll('.zone-row')) {
      row.classList.toggle('selected', row.dataset.zone === name);
      row.setAttribute('aria-selected', String(row.dataset.zone === name));
    }
    for (const side of $('zones').children) side.hidden = side.id !== 'side-' + name;
    if (window.edgesocketCharts) window.edgesocketCharts.select(name);
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? String(n) : n.toFixed(1)) + ' ' + units[i];
  }
  document.addEventListener('edgesocket:stats', (e) => {
    const { latest, budget } = e.detail;
    Object.assign(rates, latest);
    for (const zone of known.values()) overviewRow(zone);
    if (budget) {
      const share = budget.maxQueuedBytes > 0 ? ' (' + (100 * budget.queuedBytes / budget.maxQueuedBytes).toFixed(budget.queuedBytes ? 1 : 0) + '%)' : '';
      $('budget').textContent = `Queued bytes: ${bytes(budget.queuedBytes)} of ${bytes(budget.maxQueuedBytes)}${share}`;
      $('budget').dataset.queued = String(budget.queuedBytes);
      $('budget').dataset.max = String(budget.maxQueuedBytes);
      $('budget').title = `Bytes queued for all sockets of this server against edgesocket.limits.max-queued-bytes; since start ${budget.closed} sockets closed and ${budget.refused} upgrades refused for it`;
    }
  });

  async function listSessions(zone, target, error) {
    error.textContent = '';
    try {
      const page = await api('GET', '/api/zones/' + encodeURIComponent(zone) + '/sessions?limit=100');
      const table = document.createElement('table');
      // In cluster mode each session names the node that holds it.
      const clustered = page.sessions.some((s) => s.node);
      table.innerHTML = '<caption>Open sessions</caption><thead><tr><th scope="col">Id</th>' +
        (clustered ? '<th scope="col">Node</th>' : '') + '<th scope="col">Remote</th>' +
        '<th scope="col">Protocol</th><th scope="col">In/out</th><th scope="col">RTT ms</th><th scope="col">Close</th></tr></thead>';
      const body = document.createElement('tbody');
      for (const s of page.sessions) {
        const row = document.createElement('tr');
        const values = [s.id, s.remoteAddress, s.protocol || '-', s.messagesIn + '/' + s.messagesOut,
          s.lastPongRoundTripMillis === null || s.lastPongRoundTripMillis === undefined ? '-' : s.lastPongRoundTripMillis.toFixed(2)];
        if (clustered) values.splice(1, 0, s.node || '-');
        for (const v of values) {
          const cell = document.createElement('td'); cell.textContent = v; row.appendChild(cell);
        }
        const cell = document.createElement('td');
        const code = document.createElement('input');
        code.type = 'number'; code.value = '4001'; code.setAttribute('aria-label', 'Close code for ' + s.id); code.id = 'code-' + s.id;
        const reason = document.createElement('input');
        reason.value = 'kicked'; reason.setAttribute('aria-label', 'Close reason for ' + s.id); reason.id = 'reason-' + s.id;
        const kick = document.createElement('button');
        kick.type = 'button'; kick.textContent = 'Close ' + s.id; kick.id = 'kick-' + s.id;
        kick.addEventListener('click', async () => {
          try {
            await api('DELETE', `/api/zones/${encodeURIComponent(zone)}/sessions/${encodeURIComponent(s.id)}?code=${encodeURIComponent(code.value)}&reason=${encodeURIComponent(reason.value)}`);
            row.remove();
            log('info', 'Closed session ' + s.id);
          } catch (err) { error.textContent = err.message; }
        });
        cell.append(code, reason, kick);
        row.appendChild(cell);
        body.appendChild(row);
      }
      table.appendChild(body);
      target.replaceChildren(table);
    } catch (err) { error.textContent = err.message; }
  }

  // Open sockets and refusals come from /api/zones, polled every two seconds while the key works.
  let zonesTimer = null;
  async function refreshZones() {
    zonesTimer = null;
    if (!$('charts-pause').checked && !document.hidden) {
      try { showZones(await api('GET', '/api/zones')); $('admin-error').textContent = ''; } catch (err) { $('admin-error').textContent = err.message; }
    }
    zonesTimer = setTimeout(refreshZones, 2000);
  }

  $('key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    accessKey = $('access-key').value;
    $('admin-error').textContent = '';
    try {
      showZones(await api('GET', '/api/zones'));
      // The live charts (charts.js) poll with the same key once it works.
      if (window.edgesocketCharts) window.edgesocketCharts.start(accessKey);
      if (zonesTimer) clearTimeout(zonesTimer);
      zonesTimer = setTimeout(refreshZones, 2000);
    } catch (err) { $('admin-error').textContent = err.message; }
  });

  // Dev mode (./mvnw quarkus:dev) tells the page its AccessKey; every other mode answers null.
  fetch('dev-key', { cache: 'no-store' }).then((r) => (r.ok ? r.json() : null)).then((dev) => {
    if (dev && dev.accessKey && !$('access-key').value) {
      $('access-key').value = dev.accessKey;
      $('key-form').requestSubmit();
    }
  }).catch(() => {});

  refreshState();
})();
