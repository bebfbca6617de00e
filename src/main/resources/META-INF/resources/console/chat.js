// The console's chat panel: joins /chat?room=&user= (examples/ChatScript) with the browser's WebSocket.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let socket = null;

  function line(kind, text) {
    const item = document.createElement('li');
    item.className = 'chat-' + kind;
    item.textContent = text;
    $('chat-log').appendChild(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  function clock(at) {
    return new Date(at || Date.now()).toISOString().substring(11, 19);
  }

  function joined(open) {
    $('chat-join').disabled = open;
    $('chat-leave').disabled = !open;
    $('chat-send').disabled = !open;
  }

  $('chat-join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (socket) { socket.close(); }
    const room = $('chat-room').value.trim();
    const user = $('chat-user').value.trim();
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = scheme + '//' + location.host + '/chat?room=' + encodeURIComponent(room) + '&user=' + encodeURIComponent(user);
    const ws = new WebSocket(url);
    socket = ws;
    $('chat-status').textContent = 'Joining ' + room + '…';
    ws.addEventListener('message', (ev) => {
      let event;
      try { event = JSON.parse(ev.data); } catch (err) { line('message', ev.data); return; }
      if (event.type === 'welcome') {
        $('chat-status').textContent = 'In room ' + event.room + ' as ' + event.user + '.';
        joined(true);
      } else if (event.type === 'join') {
        line('info', clock(event.at) + ' ' + event.user + ' joined');
      } else if (event.type === 'leave') {
        line('info', clock(event.at) + ' ' + event.user + ' left');
      } else if (event.type === 'message') {
        line('message', clock(event.at) + ' ' + event.user + ': ' + event.text);
      }
    });
    ws.addEventListener('close', (ev) => {
      if (socket === ws) {
        socket = null;
        joined(false);
        $('chat-status').textContent = 'Not in a room (closed ' + ev.code + (ev.reason ? ' ' + ev.reason : '') + ').';
      }
    });
  });

  $('chat-leave').addEventListener('click', () => { if (socket) { socket.close(1000, 'left'); } });

  $('chat-send-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-text').value;
    if (!socket || socket.readyState !== WebSocket.OPEN || !text) { return; }
    socket.send(text);
    line('mine', clock() + ' you: ' + text);
    $('chat-text').value = '';
  });
})();
