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

  function renderZone(zone) {
    const box = document.createElement('form');
    box.className = 'zone';
    box.id = 'zone-' + zone.name;
    box.setAttribute('aria-label', 'Zone ' + zone.name);
    const ws = zone.websockets;
    const title = document.createElement('h3');
    title.textContent = `${zone.name} (${zone.path}) — ${zone.live.openSockets} open, ${zone.live.upgrades} upgrades, ` +
      `${zone.live.refusedDisabled + zone.live.refusedLimit + zone.live.refusedOrigin} refused`;
    box.append(title);
    // Cluster mode: the counts of each node (a single node has no per-node list).
    if (zone.live.nodes && Object.keys(zone.live.nodes).length > 0) {
      const nodes = document.createElement('ul');
      nodes.className = 'nodes'; nodes.id = 'nodes-' + zone.name;
      nodes.setAttribute('aria-label', 'Nodes of zone ' + zone.name);
      for (const [name, c] of Object.entries(zone.live.nodes)) {
        const item = document.createElement('li');
        item.textContent = `${name}: ${c.openSockets} open, ${c.upgrades} upgrades, ${c.refusedDisabled + c.refusedLimit + (c.refusedOrigin || 0)} refused`;
        nodes.appendChild(item);
      }
      box.append(nodes);
    }
    box.append(
      field(zone.name, 'enabled', 'WebSockets enabled', ws.enabled, 'checkbox'),
      field(zone.name, 'subprotocols', 'Subprotocols', ws.subprotocols.join(', '), 'text'),
      field(zone.name, 'idleTimeout', 'Idle timeout (s)', ws.idleTimeout, 'number'),
      field(zone.name, 'maxIdle', 'Max idle (s)', ws.maxIdle, 'number'),
      field(zone.name, 'maxConnections', 'Max connections', ws.maxConnections, 'number'),
      field(zone.name, 'maxMessageSize', 'Max message size (bytes)', ws.maxMessageSize, 'number'),
      field(zone.name, 'maxBufferedAmount', 'Max buffered amount (bytes)', ws.maxBufferedAmount, 'number'),
      field(zone.name, 'allowedOrigins', 'Allowed origins (empty: any)', ws.allowedOrigins.join(', '), 'text'),
      field(zone.name, 'requireOrigin', 'Require an Origin header', ws.requireOrigin, 'checkbox'));
    const save = document.createElement('button');
    save.type = 'submit'; save.textContent = 'Save ' + zone.name; save.id = 'save-' + zone.name;
    const sessionsButton = document.createElement('button');
    sessionsButton.type = 'button'; sessionsButton.textContent = 'List sessions of ' + zone.name; sessionsButton.id = 'sessions-' + zone.name;
    const error = document.createElement('p');
    error.className = 'error'; error.setAttribute('role', 'alert'); error.id = 'error-' + zone.name;
    const sessions = document.createElement('div');
    sessions.id = 'session-list-' + zone.name;
    box.append(save, sessionsButton, error, sessions);
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
        // Replace what is shown now (an earlier save may already have replaced this form).
        const shown = document.getElementById('zone-' + zone.name) || box;
        shown.replaceWith(renderZone(updated));
        log('info', 'Saved zone ' + zone.name);
      } catch (err) { error.textContent = err.message; }
    });
    sessionsButton.addEventListener('click', () => listSessions(zone.name, sessions, error));
    return box;
  }

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

  $('key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    accessKey = $('access-key').value;
    $('admin-error').textContent = '';
    try {
      const zones = await api('GET', '/api/zones');
      $('zones').replaceChildren(...zones.map(renderZone));
      // The live charts (charts.js) poll with the same key once it works.
      if (window.edgesocketCharts) window.edgesocketCharts.start(accessKey);
    } catch (err) { $('admin-error').textContent = err.message; }
  });

  refreshState();
})();
