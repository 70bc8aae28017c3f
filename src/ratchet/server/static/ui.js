// Ratchet's review pages: keys, and small updates through the REST API.
// Pages work without this script (forms post to the server); it adds the
// keyboard, pass/fail, pinning the first upstream error, coding, and the
// live check of the promote editor. Text from the server is only ever set
// with textContent, never as HTML.
(function () {
  "use strict";

  const meta = document.querySelector('meta[name="csrf-token"]');
  const token = meta ? meta.content : "";
  const trace = document.getElementById("trace");
  const flashBox = document.getElementById("flash");

  function flash(text, bad) {
    if (!flashBox) return;
    flashBox.textContent = text;
    flashBox.classList.toggle("bad", Boolean(bad));
  }

  async function api(method, url, body) {
    const response = await fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      const message = data && data.error ? data.error.message : "the server answered " + response.status;
      throw new Error(message);
    }
    return data;
  }

  // "show more" on long values
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-more]");
    if (!button) return;
    const rest = button.previousElementSibling && button.previousElementSibling.querySelector(".rest");
    if (!rest) return;
    rest.hidden = !rest.hidden;
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = rest.hidden ? button.dataset.label : "show less";
  });

  // Help overlay
  const help = document.getElementById("help");
  function toggleHelp(show) {
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) {
      const close = help.querySelector("[data-close-help]");
      if (close) close.focus();
    }
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-help]") || event.target === help) toggleHelp(false);
  });

  // Pass / fail
  const verdicts = document.getElementById("verdicts");
  async function judge(verdict) {
    if (!verdicts) {
      flash("Pass and fail belong to a review session: open this trace from a session's queue.", true);
      return;
    }
    const pressed = verdicts.querySelector('[data-verdict="' + verdict + '"]');
    const clear = pressed.getAttribute("aria-pressed") === "true";
    try {
      const item = await api("PUT", verdicts.dataset.url, { verdict: clear ? null : verdict });
      verdicts.querySelectorAll("[data-verdict]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.dataset.verdict === item.verdict));
      });
      flash(item.verdict ? "Marked " + item.verdict + "." : "Verdict cleared.");
    } catch (error) {
      flash(error.message, true);
    }
  }
  if (verdicts) {
    verdicts.addEventListener("click", function (event) {
      const button = event.target.closest("[data-verdict]");
      if (button) judge(button.dataset.verdict);
    });
  }

  // First upstream error
  const noteText = document.getElementById("note-text");
  const pinField = document.getElementById("pin-field");
  const pinStatus = document.getElementById("pin-status");
  function markPinned(spanId) {
    document.querySelectorAll("li.pinned").forEach(function (li) { li.classList.remove("pinned"); });
    if (spanId) {
      const li = document.getElementById("span-" + spanId);
      if (li) li.classList.add("pinned");
    }
  }
  async function pin(spanId) {
    const li = document.getElementById("span-" + spanId);
    const ref = li ? li.dataset.ref : spanId;
    const noteId = trace.dataset.note;
    if (!noteId || (noteText && noteText.value.trim())) {
      const again = pinField.value === spanId;
      pinField.value = again ? "" : spanId;
      pinStatus.textContent = again ? "" : "First upstream error: " + ref + " (saved with the note)";
      markPinned(pinField.value);
      return;
    }
    const current = document.querySelector("li.pinned");
    const clear = current && current.dataset.span === spanId;
    try {
      const note = await api("PATCH", "/api/v1/notes/" + encodeURIComponent(noteId),
        clear ? { clear_first_error: true } : { first_error_span_id: spanId });
      markPinned(note.first_error_span_id);
      const line = document.querySelector('[data-pinned-for="' + noteId + '"]');
      if (line) line.textContent = note.first_error_span_id ? "first upstream error: " + ref : "";
      flash(clear ? "First upstream error cleared." : "First upstream error: " + ref + ".");
    } catch (error) {
      flash(error.message, true);
    }
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-pin]");
    if (!button || !trace) return;
    event.preventDefault(); // the button sits in the span's summary: do not fold it
    pin(button.dataset.pin);
  });

  // Coding the latest note into failure modes
  const modes = document.getElementById("modes");
  async function code(modeId, accepted) {
    const noteId = trace.dataset.note;
    if (!noteId) {
      flash("Write a note first (n), then code it.", true);
      return;
    }
    const buttons = Array.from(modes.querySelectorAll("button.mode"));
    const chosen = buttons
      .filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
      .map(function (b) { return b.dataset.mode; });
    const on = chosen.indexOf(modeId) < 0;
    const wanted = on ? chosen.concat([modeId]) : chosen.filter(function (m) { return m !== modeId; });
    try {
      const note = await api("PUT", "/api/v1/notes/" + encodeURIComponent(noteId) + "/codes", {
        mode_ids: wanted,
        taxonomy_version: Number(trace.dataset.version),
        suggested: accepted ? [modeId] : [],
      });
      const names = [];
      buttons.forEach(function (b) {
        const coded = note.mode_ids.indexOf(b.dataset.mode) >= 0;
        b.setAttribute("aria-pressed", String(coded));
        if (coded) names.push(b.textContent.replace(/^\s*\d\s+/, "").trim());
      });
      const tags = document.querySelector("#note-" + CSS.escape(noteId) + " p:last-child");
      if (tags) {
        tags.textContent = "";
        names.forEach(function (name) {
          const tag = document.createElement("span");
          tag.className = "code-tag";
          tag.textContent = name;
          tags.appendChild(tag);
        });
      }
      flash(names.length ? "Coded: " + names.join(", ") + "." : "The note is not coded.");
    } catch (error) {
      flash(error.message, true);
    }
  }
  if (modes) {
    modes.addEventListener("click", function (event) {
      const mode = event.target.closest("button.mode");
      const accept = event.target.closest("[data-accept]");
      const reject = event.target.closest("[data-reject]");
      if (mode) code(mode.dataset.mode, false);
      if (accept) {
        const button = modes.querySelector('button.mode[data-mode="' + accept.dataset.accept + '"]');
        if (button && button.getAttribute("aria-pressed") !== "true") code(accept.dataset.accept, true);
        accept.parentElement.remove();
      }
      if (reject) {
        reject.closest("li").classList.remove("suggested");
        reject.parentElement.remove();
      }
    });
  }

  // Keys
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (help && !help.hidden) toggleHelp(false);
      else if (typing(event.target)) event.target.blur();
      return;
    }
    if (event.target === noteText && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      noteText.form.requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (!trace || (help && !help.hidden)) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      const url = key === "j" ? trace.dataset.next : trace.dataset.previous;
      if (url) window.location.href = url;
      else flash(key === "j" ? "This is the last trace of the session." : "This is the first trace.");
    } else if (key === "n" && noteText) {
      event.preventDefault();
      noteText.focus();
    } else if (key === "p" || key === "f") {
      judge(key === "p" ? "pass" : "fail");
    } else if (/^[1-9]$/.test(key) && modes) {
      const button = modes.querySelector('button.mode[data-key="' + key + '"]');
      if (button) code(button.dataset.mode, false);
    } else {
      return;
    }
  });

  // Promote editor: validate as one types, storing nothing
  const editor = document.getElementById("fixture-body");
  const problems = document.getElementById("problems");
  const checkState = document.getElementById("check-state");
  let timer = null;
  let asked = 0;
  async function check() {
    const mine = ++asked;
    try {
      const result = await api("POST", "/api/v1/promotions/check", { body: editor.value });
      if (mine !== asked) return; // a newer check is on its way
      problems.textContent = "";
      result.problems.forEach(function (p) {
        const li = document.createElement("li");
        const where = (p.field || "file") + (p.line ? " (line " + p.line + ")" : "");
        li.textContent = where + ": " + p.message + (p.hint ? " — " + p.hint : "");
        problems.appendChild(li);
      });
      checkState.textContent = result.valid ? "Valid: fixture " + result.fixture_id + "." : "Not valid yet:";
      checkState.className = result.valid ? "verdict-pass" : "verdict-fail";
    } catch (error) {
      checkState.textContent = "Could not check: " + error.message;
    }
  }
  if (editor && problems && checkState) {
    editor.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
  }
})();
