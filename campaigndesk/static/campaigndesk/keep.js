/* What is typed is kept in this browser until the server has it (campaigndesk/core/kept.py).
 *
 * A page with a long form keeps its unsaved input in localStorage, per account and per
 * thing edited (a unit's round, a brief), under a random token that the form posts as
 * keep_token. After a successful save the redirect says ?saved=<token> and whichever page
 * it lands on removes that copy (below, on every page). A save that never arrived — the
 * connection lost, the tab closed, the server busy — leaves the copy, and the form offers
 * it back when it is opened again. Leaving with unsaved changes asks first.
 *
 * window.CampaignDeskKeep.open(key) gives a store for one form (the progress grid uses it
 * with its own rows, grid.js); a plain form with data-keep="key" is kept field by field
 * here. Logging out removes every copy: the next person at this browser sees none.
 */
(function () {
  "use strict";
  const PREFIX = "campaigndesk.keep:";

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function token() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
  }

  function read(store, key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (error) { return null; }
  }

  function eachKept(visit) {
    const store = storage();
    if (!store) return;
    for (let i = store.length - 1; i >= 0; i--) {
      const key = store.key(i);
      if (key && key.startsWith(PREFIX)) visit(store, key);
    }
  }

  // A save arrived: remove its copy, and the token from the address (a reload keeps nothing).
  const here = new URL(window.location.href);
  const saved = here.searchParams.get("saved");
  if (saved) {
    eachKept((store, key) => {
      const kept = read(store, key);
      if (kept && kept.token === saved) store.removeItem(key);
    });
    here.searchParams.delete("saved");
    window.history.replaceState(window.history.state, "", here.pathname + here.search + here.hash);
  }

  document.addEventListener("submit", (event) => {
    if (event.target.matches("form[action$='/logout/']")) {
      eachKept((store, key) => store.removeItem(key));
    }
  });

  function open(name) {
    const store = storage();
    const key = PREFIX + name;
    const earlier = store ? read(store, key) : null;
    let current = earlier && earlier.token ? earlier.token : token();
    return {
      earlier: earlier,  // what an earlier visit kept, or null
      token: () => current,
      save(data) {
        if (!store) return false;
        try {
          store.setItem(key, JSON.stringify({token: current, at: Date.now(), data: data}));
          return true;
        } catch (error) {  // over the browser's quota: the page says it cannot keep
          return false;
        }
      },
      clear() {
        if (store) store.removeItem(key);
        current = token();
      },
    };
  }

  function when(at) {
    const d = new Date(at);
    const pad = (n) => String(n).padStart(2, "0");
    return (d.getMonth() + 1) + "月" + d.getDate() + "日 " + pad(d.getHours()) + ":"
      + pad(d.getMinutes());
  }

  // The offer to bring kept input back: a sentence and two buttons in `box`.
  function offer(box, kept, what, restore, discard) {
    box.textContent = "";
    const said = document.createElement("span");
    said.textContent = "本页有尚未保存的内容（" + what + "，" + when(kept.at) + " 暂存在本浏览器中）。";
    box.append(said);
    const yes = document.createElement("button");
    yes.type = "button";
    yes.className = "small";
    yes.textContent = "恢复这些内容";
    const no = document.createElement("button");
    no.type = "button";
    no.className = "small secondary";
    no.textContent = "不恢复";
    box.append(" ", yes, " ", no);
    box.hidden = false;
    yes.addEventListener("click", () => { box.hidden = true; restore(); });
    no.addEventListener("click", () => { box.hidden = true; discard(); });
  }

  function tokenField(form, keeper) {
    let field = form.querySelector("input[name=keep_token]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "keep_token";
      form.appendChild(field);
    }
    field.value = keeper.token();
    return field;
  }

  function warnOnLeave(isDirty) {
    window.addEventListener("beforeunload", (event) => {
      if (isDirty()) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  window.CampaignDeskKeep = {open: open, offer: offer, tokenField: tokenField,
                             warnOnLeave: warnOnLeave};

  // ------------------------------------------------------------ a plain form, field by field

  const SKIP = new Set(["hidden", "file", "submit", "button", "reset", "password", "checkbox",
                        "radio"]);

  function keepForm(form) {
    const keeper = open(form.dataset.keep);
    const fields = () => Array.from(form.elements).filter((el) => el.name && !SKIP.has(el.type)
      && el.name !== "csrfmiddlewaretoken");
    const values = () => Object.fromEntries(fields().map((el) => [el.name, el.value]));
    const same = (a, b) => Object.keys(a).every((name) => (b[name] || "") === (a[name] || ""));
    let dirty = form.dataset.unsaved === "1";
    let timer = 0;

    function keep() {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => keeper.save(values()), 300);
    }

    const box = document.createElement("p");
    box.className = "keep-offer";
    box.setAttribute("role", "status");
    box.hidden = true;
    // A form that is a cell of a grid or flex layout (a brief's form beside its findings)
    // gets the bar above that layout: as a cell of its own it took a whole column.
    const parent = form.parentElement;
    const display = parent ? window.getComputedStyle(parent).display : "";
    (/grid|flex/.test(display) ? parent : form).before(box);
    const earlier = keeper.earlier;
    if (earlier && earlier.data && dirty) {
      // The server showed the form again after a refused save: what it shows is what was
      // sent, less what it refused (a control character), so there is nothing to offer.
      keeper.save(values());
    } else if (earlier && earlier.data && !same(earlier.data, values())) {
      offer(box, earlier, "已填写的内容", () => {
        fields().forEach((el) => {
          if (Object.prototype.hasOwnProperty.call(earlier.data, el.name)) {
            el.value = earlier.data[el.name];
            el.dispatchEvent(new Event("input", {bubbles: true}));
          }
        });
        dirty = true;
        keeper.save(values());
      }, () => keeper.clear());
    } else if (earlier && !dirty) {
      keeper.clear();  // the page shows exactly what was kept, and it is saved
    }
    // Fields may sit outside the form (form="…"): listen on the document.
    document.addEventListener("input", (event) => {
      if (event.target.form === form && !SKIP.has(event.target.type)) { dirty = true; keep(); }
    });
    document.addEventListener("change", (event) => {
      if (event.target.form === form && !SKIP.has(event.target.type)) { dirty = true; keep(); }
    });
    form.addEventListener("submit", () => {
      window.clearTimeout(timer);
      if (dirty) keeper.save(values());
      tokenField(form, keeper);
      dirty = false;
    });
    warnOnLeave(() => dirty);
    tokenField(form, keeper);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-keep]").forEach(keepForm);
  });
})();
