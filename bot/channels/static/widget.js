/* Nightingale web chat widget. A clinic adds one tag to its own pages:
 *   <script src="https://assistant.example.org/chat/widget.js" defer></script>
 * Everything else (stylesheet, Socket.IO client, session) comes from the same server.
 * The widget lives in a shadow root so the host page's styles cannot break it, and it never
 * writes message text to the console.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = new URL(".", script.src);            // https://assistant.example.org/chat/
  var TOKEN_KEY = "nightingale.webchat.token";
  var OPEN_KEY = "nightingale.webchat.open";
  var SESSION_INVALID = "session_invalid";
  var URL_PATTERN = /(https?:\/\/[^\s]+[^\s.,;:!?)])/g;

  var io = null;
  var socket = null;
  var unsent = [];                                  // typed before the first connection existed
  var typingTimer = null;

  function storage(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) {
      return null;                                  // storage disabled: the chat still works, without reloads
    }
    return null;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  // ---- markup -----------------------------------------------------------------------------
  var host = el("div", { id: "nightingale-webchat" });
  var root = host.attachShadow({ mode: "open" });
  var title = script.getAttribute("data-title") || "Clinic assistant";

  // Hidden until the stylesheet applies (see boot).
  var launcher = el("button", {
    type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "ng-panel", text: "Chat with us",
    hidden: ""
  });
  var closeButton = el("button", { type: "button", class: "close", "aria-label": "Close chat", text: "\u00d7" });
  var log = el("ol", {
    class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation"
  });
  var typing = el("p", { class: "typing", role: "status", "aria-live": "polite" });
  var status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  var input = el("input", {
    id: "ng-input", type: "text", autocomplete: "off", maxlength: "2000",
    placeholder: "Type your question", "aria-describedby": "ng-hint"
  });
  var form = el("form", { class: "composer" }, [
    el("label", { for: "ng-input", class: "sr-only", text: "Message to the assistant" }),
    input,
    el("button", { type: "submit", class: "send", text: "Send" })
  ]);
  var panel = el("section", { id: "ng-panel", class: "panel", role: "region", "aria-label": title, hidden: "" }, [
    el("header", {}, [
      el("div", {}, [
        el("h2", { text: title }),
        el("p", { id: "ng-hint", class: "hint", text: "Automated assistant. In an emergency call 911." })
      ]),
      closeButton
    ]),
    log, typing, status, form
  ]);
  var stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", base).href });
  // Settles when the styles apply or failed to load (the chat still works, plainly). It starts loading
  // only once the host is in the page, so it races the history fetched at boot.
  var styled = new Promise(function (resolve) { stylesheet.onload = stylesheet.onerror = resolve; });
  root.appendChild(stylesheet);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- rendering --------------------------------------------------------------------------
  function appendText(node, text) {
    text.split(URL_PATTERN).forEach(function (part, index) {
      if (index % 2 === 1) node.appendChild(el("a", { href: part, target: "_blank", rel: "noopener", text: part }));
      else if (part) node.appendChild(document.createTextNode(part));
    });
  }

  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".replies"), function (group) { group.remove(); });
  }

  function addMessage(sender, text, buttons) {
    var bubble = el("div", { class: "bubble" }, [
      el("span", { class: "sr-only", text: sender === "user" ? "You: " : "Assistant: " })
    ]);
    appendText(bubble, text);
    var item = el("li", { class: "message " + sender }, [bubble]);
    if (buttons && buttons.length) {
      var group = el("div", { class: "replies", role: "group", "aria-label": "Suggested replies" });
      buttons.forEach(function (button) {
        var choice = el("button", { type: "button", class: "reply", text: button.title });
        choice.addEventListener("click", function () { send(button.payload, button.title); });
        group.appendChild(choice);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    scrollToEnd();
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function setTyping(on) {
    window.clearTimeout(typingTimer);
    typing.textContent = on ? "The assistant is typing" : "";
    typing.classList.toggle("on", on);
    // Never leave the dots spinning if a turn's end is lost with a dropped connection.
    if (on) typingTimer = window.setTimeout(function () { setTyping(false); }, 30000);
  }

  function renderHistory(messages) {
    log.setAttribute("aria-busy", "true");          // one re-render, not dozens of announcements
    log.textContent = "";
    var lastUser = -1;
    messages.forEach(function (m, i) { if (m.sender === "user") lastUser = i; });
    messages.forEach(function (m, i) {
      addMessage(m.sender, m.text, i > lastUser ? m.buttons : null);
    });
    log.removeAttribute("aria-busy");
  }

  // ---- session and connection ---------------------------------------------------------------
  function newSession() {
    return fetch(new URL("session", base), { method: "POST" })
      .then(function (res) { if (!res.ok) throw new Error("session " + res.status); return res.json(); })
      .then(function (body) { storage(TOKEN_KEY, body.token); return body.token; });
  }

  function forgetSession() {
    storage(TOKEN_KEY, null);
    log.textContent = "";
  }

  function loadHistory(token) {
    return fetch(new URL("history", base), { headers: { Authorization: "Bearer " + token } })
      .then(function (res) {
        if (res.status === 401) { forgetSession(); return null; }
        return res.ok ? res.json() : null;
      })
      .then(function (body) { if (body) renderHistory(body.messages); })
      .catch(function () { status.textContent = "Could not load the earlier conversation."; });
  }

  function connect() {
    if (socket || !io) return;
    socket = io(base.origin, {
      path: base.pathname + "socket.io",
      // One WebSocket, so the whole connection stays with one Rasa worker (RASA_WORKERS > 1); long-polling's
      // separate requests could reach another worker, which would not know the session.
      transports: ["websocket"],
      // Read at every (re)connect, so a replaced session is picked up.
      auth: function (cb) { cb({ token: storage(TOKEN_KEY) }); }
    });
    socket.on("connect", function () { status.textContent = ""; });
    socket.on("disconnect", function () { status.textContent = "Reconnecting\u2026"; });
    socket.on("connect_error", function (err) {
      if (err && err.message === SESSION_INVALID) {
        // Expired or signed with an old key: start a new conversation.
        forgetSession();
        newSession().then(function () { socket.connect(); }, function () {
          status.textContent = "The chat is unavailable right now. Please call the clinic.";
        });
      } else {
        status.textContent = "Connecting\u2026";
      }
    });
    socket.on("bot_uttered", function (message) {
      if (!message || typeof message.text !== "string") return;
      addMessage("bot", message.text, message.quick_replies);
    });
    socket.on("turn_done", function () { setTyping(false); });
    unsent.forEach(function (payload) { socket.emit("user_uttered", { message: payload }); });
    unsent = [];
  }

  function start() {
    if (storage(TOKEN_KEY)) { connect(); return; }
    newSession().then(connect, function () {
      status.textContent = "The chat is unavailable right now. Please call the clinic.";
    });
  }

  function send(payload, shown) {
    if (!payload) return;
    clearQuickReplies();
    addMessage("user", shown);
    setTyping(true);
    // Socket.IO buffers emits while (re)connecting.
    if (socket) socket.emit("user_uttered", { message: payload });
    else unsent.push(payload);
    input.focus();
  }

  // ---- keyboard and focus -----------------------------------------------------------------
  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.hidden = open;
    storage(OPEN_KEY, open ? "1" : null);
    if (open) { start(); scrollToEnd(); input.focus(); } else { launcher.focus(); }
  }

  launcher.addEventListener("click", function () { setOpen(true); });
  closeButton.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });

  // ---- boot -----------------------------------------------------------------------------------
  function boot() {
    document.body.appendChild(host);
    var token = storage(TOKEN_KEY);
    var history = token ? loadHistory(token) : Promise.resolve();
    // Nothing shows before the styles apply: until then the log is no scroll container, so a conversation
    // scrolled to its end then would open at its first message once the styles arrive.
    Promise.all([history, styled]).then(function () {
      if (storage(TOKEN_KEY)) connect();
      if (storage(OPEN_KEY)) {
        panel.hidden = false;
        launcher.setAttribute("aria-expanded", "true");
        scrollToEnd();                              // a hidden log had no height to scroll while rendering
        start();
      } else {
        launcher.hidden = false;
      }
    });
  }

  // Load our own copy of the Socket.IO client without replacing one the host page may use.
  var previousIo = window.io;
  var client = el("script", { src: new URL("socket.io.min.js", base).href });
  client.onload = function () {
    io = window.io;
    if (previousIo !== undefined) window.io = previousIo;
    boot();
  };
  client.onerror = function () {
    document.body.appendChild(host);
    status.textContent = "The chat is unavailable right now. Please call the clinic.";
    styled.then(function () { launcher.hidden = false; });
  };
  document.head.appendChild(client);
})();
