/* The progress grid: a table of inputs that behaves like a spreadsheet.
 * Arrow keys and Enter move between cells, a block copied from Excel or WPS (tab-separated,
 * quoted cells for line breaks) pastes across cells and adds rows, and obvious mistakes are
 * marked at once. The server checks everything again on save; this only saves a round trip.
 * A pasted block is placed by the server's header finder (progress/paste.py: its header
 * row and its 序号 column are recognised, columns go where their header says); without the
 * server (connection lost) it is placed cell by cell from where it was pasted, as before.
 * What is typed and not yet saved is kept in this browser per account, unit and round
 * (keep.js) and offered back on return; leaving with unsaved changes asks first.
 * Over the row limit (data-max-rows) the page says so and does not send the grid: the
 * server would refuse it whole rather than cut it. Likewise over the size one request may
 * have (data-max-bytes, URL-encoded as the browser sends it): the server would answer 413
 * and the typed rows would be gone, so the page refuses before sending. A reader (a reviewer, the auditor)
 * gets the same grid read-only: moving around, no editing.
 */
(function () {
  "use strict";
  const grid = document.getElementById("progress-grid");
  if (!grid) return;
  const body = grid.querySelector("tbody");
  const template = document.getElementById("grid-row-template");
  const form = grid.closest("form");
  const keys = JSON.parse(grid.dataset.keys);
  const editable = grid.dataset.editable === "1";
  const maxRows = Number(grid.dataset.maxRows) || Infinity;
  const limitBox = document.getElementById("grid-limit");
  const maxBytes = Number(grid.dataset.maxBytes) || Infinity;
  const sizeBox = document.getElementById("grid-size");
  const pasteNote = document.getElementById("grid-paste-note");
  const pasteWarning = document.getElementById("grid-paste-warning");
  const restoreBox = document.getElementById("grid-restore");
  // A page drawn from a POST is a save that did not happen (busy, conflict, limits).
  let dirty = grid.dataset.unsaved === "1";
  let waitingSubmit = null;  // a save clicked while a pasted block was being placed

  const COUNT = /^\s*[0-9０-９,，]+\s*(人次|人|名)?\s*$/;
  const AMOUNT = /^\s*[0-9０-９,，]+(\.[0-9０-９]{1,2})?\s*(万元|元|万)?\s*$/;
  const ZERO = /^\s*(无|—|-|\/|／|空)?\s*$/;
  const checks = {
    participants: (v) => ZERO.test(v) || COUNT.test(v) ? "" : "请填写整数人次，如 12",
    beneficiaries: (v) => ZERO.test(v) || COUNT.test(v) ? "" : "请填写整数人次，如 12",
    funds: (v) => ZERO.test(v) || AMOUNT.test(v) ? "" : "请填写金额（元），最多两位小数",
    materials: (v) => ZERO.test(v) || AMOUNT.test(v) ? "" : "请填写金额（元），最多两位小数",
  };

  function rows() { return Array.from(body.querySelectorAll("tr.grid-row")); }

  function renumber() {
    const all = rows();
    all.forEach((tr, i) => {
      tr.querySelector(".seq").textContent = String(i + 1);
      tr.querySelectorAll("[data-key]").forEach((input) => {
        input.name = "r-" + i + "-" + input.dataset.key;
      });
      const id = tr.querySelector("input.row-id");
      if (id) id.name = "r-" + i + "-id";
    });
    form.querySelector("input[name=row_count]").value = String(all.length);
  }

  // Rows at the end, numbered once: a paste of thousands of rows stays quick.
  function addRows(count) {
    const fragment = document.createDocumentFragment();
    let last = null;
    for (let i = 0; i < count; i++) {
      last = template.content.firstElementChild.cloneNode(true);
      fragment.appendChild(last);
    }
    body.appendChild(fragment);
    renumber();
    return last;
  }

  // Blank rows are not saved, so only the rows holding something count against the limit.
  function filledRows() {
    return rows().filter((tr) =>
      Array.from(tr.querySelectorAll("[data-key]")).some((input) => input.value.trim())).length;
  }

  function overLimit() {
    const count = filledRows();
    const over = count > maxRows;
    if (limitBox) {
      limitBox.hidden = !over;
      limitBox.querySelector(".grid-count").textContent = String(count);
    }
    return over;
  }

  function cell(rowIndex, colIndex) {
    const tr = rows()[rowIndex];
    return tr ? tr.querySelector('[data-key="' + keys[colIndex] + '"]') : null;
  }

  function position(input) {
    const tr = input.closest("tr");
    return [rows().indexOf(tr), keys.indexOf(input.dataset.key)];
  }

  function check(input) {
    const rule = checks[input.dataset.key];
    const message = rule ? rule(input.value) : "";
    const td = input.closest("td");
    td.classList.toggle("cell-warn", Boolean(message));
    input.title = message;
  }

  // Excel and WPS put a cell in double quotes when it holds a tab, a line break or a quote.
  function parseTsv(text) {
    const out = [];
    let row = [], value = "", quoted = false;
    text = text.replace(/\r\n?/g, "\n");
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { value += '"'; i++; }
        else if (ch === '"') quoted = false;
        else value += ch;
      } else if (ch === '"' && value === "") quoted = true;
      else if (ch === "\t") { row.push(value); value = ""; }
      else if (ch === "\n") { row.push(value); out.push(row); row = []; value = ""; }
      else value += ch;
    }
    if (value !== "" || row.length) { row.push(value); out.push(row); }
    return out;
  }

  // Rows by grid key into the grid from row r0 on, adding rows as needed.
  function fill(r0, placed) {
    const missing = r0 + placed.length - rows().length;
    if (missing > 0) addRows(missing);
    const all = rows();
    placed.forEach((values, dr) => {
      Object.keys(values).forEach((key) => {
        const target = all[r0 + dr].querySelector('[data-key="' + key + '"]');
        if (target) { target.value = values[key]; check(target); }
      });
    });
    changed();
    overLimit();
  }

  function byPlace(block, c0) {
    return block.map((values) => {
      const row = {};
      values.forEach((value, dc) => { if (keys[c0 + dc]) row[keys[c0 + dc]] = value.trim(); });
      return row;
    });
  }

  // What the server placed and left out; `warnings` (when given): cells it could not place
  // (a column without a header), shown apart so that they are not read past.
  function note(lines, warnings) {
    if (pasteNote) {
      pasteNote.textContent = lines.length ? "粘贴说明：" + lines.join("；") + "。" : "";
      pasteNote.hidden = !lines.length;
    }
    if (pasteWarning && warnings) {
      pasteWarning.textContent = warnings.length ? "请注意：" + warnings.join("；") + "。" : "";
      pasteWarning.hidden = !warnings.length;
    }
  }

  async function placeOnServer(text, key) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("block", text);
    data.append("start", key);
    const response = await fetch(grid.dataset.pasteUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"}});
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }

  body.addEventListener("paste", async (event) => {
    if (!editable) return;
    const input = event.target.closest("[data-key]");
    if (!input) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\n$/, ""))) return; // one cell: let the browser paste
    event.preventDefault();
    const [r0, c0] = position(input);
    let placed;
    grid.dataset.pasting = "1";
    try {
      placed = await placeOnServer(text, keys[c0]);
      note(placed.notes, placed.warnings);
      placed = placed.rows;
    } catch (error) {
      placed = byPlace(parseTsv(text), c0);
      note(["无法连接服务器，已按粘贴位置逐格放入（表头行、序号列未能识别，请核对）"], []);
    }
    fill(r0, placed);
    delete grid.dataset.pasting;
    // A save clicked while the block was on its way goes now, with the block in the grid.
    if (waitingSubmit !== null) {
      const submitter = waitingSubmit;
      waitingSubmit = null;
      form.requestSubmit(submitter || undefined);
    }
  });

  body.addEventListener("keydown", (event) => {
    const input = event.target.closest("[data-key]");
    if (!input) return;
    const [r, c] = position(input);
    let target = null;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) {
      if (r + 1 >= rows().length && event.key === "Enter" && editable) addRows(1);
      target = cell(r + 1, c);
    } else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) {
      target = cell(r - 1, c);
    } else if (event.key === "ArrowLeft" && atStart) {
      target = cell(r, c - 1);
    } else if (event.key === "ArrowRight" && atEnd) {
      target = cell(r, c + 1);
    }
    if (target) {
      event.preventDefault();
      target.focus();
      target.select();
    } else if (event.key === "Enter") {
      event.preventDefault();
    }
  });

  body.addEventListener("input", (event) => {
    const input = event.target.closest("[data-key]");
    if (!input || !editable) return;
    changed();
    check(input);
  });

  // The list of wrong cells above the grid: a click goes to the cell.
  const problems = document.getElementById("grid-problems");
  if (problems) {
    problems.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-cell]");
      const target = link && document.getElementById(link.dataset.cell);
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({block: "center", inline: "nearest"});
    });
  }

  // ------------------------------------------------------------ a wrong cell's message

  // Shown on hover or focus (site.css). Inside the grid's scroll box it was cut off at the
  // box's edge, and on a phone it ran past the screen: so it is placed in the viewport
  // (position: fixed), no wider than the visible part of the box, under the cell (above it
  // when there is no room below), and follows the cell when the page or the box scrolls
  // (focusing a cell scrolls it into view after focusin).
  const scrollBox = grid.closest(".grid-scroll");
  grid.classList.add("messages-placed");

  function placeMessage(td) {
    const message = td.querySelector(".cell-message");
    if (!message || window.getComputedStyle(message).display === "none") return;
    const view = document.documentElement.clientWidth;
    const box = scrollBox ? scrollBox.getBoundingClientRect() : {left: 0, right: view};
    const left = Math.max(box.left, 0) + 4;
    const right = Math.min(box.right, view) - 4;
    message.style.maxWidth = Math.max(right - left, 0) + "px";
    const cell = td.getBoundingClientRect();
    // A cell scrolled out of sight (out of the box, or off the screen) shows no message
    // floating over other cells.
    const seen = cell.right > left && cell.left < right && cell.bottom > 0
      && cell.top < window.innerHeight;
    message.style.visibility = seen ? "" : "hidden";
    const width = message.offsetWidth, height = message.offsetHeight;
    message.style.left = Math.max(left, Math.min(cell.left, right - width)) + "px";
    const below = cell.bottom + 2, above = cell.top - height - 2;
    const roomBelow = below + height <= window.innerHeight - 4;
    message.style.top = (roomBelow || above < 0 ? below : above) + "px";
  }

  let placing = 0;
  function placeShown() {
    placing = 0;
    grid.querySelectorAll("td.cell-error").forEach((td) => {
      if (td.matches(":focus-within, :hover")) placeMessage(td);
    });
  }
  function placeSoon() { if (!placing) placing = window.requestAnimationFrame(placeShown); }

  ["focusin", "mouseover"].forEach((type) => body.addEventListener(type, (event) => {
    const td = event.target.closest("td.cell-error");
    if (td) placeMessage(td);
  }));
  document.addEventListener("scroll", placeSoon, true);  // the page and the grid's box
  window.addEventListener("resize", placeSoon);

  rows().forEach((tr) => tr.querySelectorAll("[data-key]").forEach(check));
  if (!editable) return;

  // ------------------------------------------------------------ kept in the browser

  const keep = window.CampaignDeskKeep && grid.dataset.keep
    ? window.CampaignDeskKeep.open(grid.dataset.keep) : null;
  let keepTimer = 0;

  function state() {
    return rows().map((tr) => [tr.querySelector("input.row-id").value,
      keys.map((key) => tr.querySelector('[data-key="' + key + '"]').value)]);
  }

  function keepNow() {
    window.clearTimeout(keepTimer);
    if (keep && !keep.save({rows: state(), revision: form.querySelector("[name=revision]").value})
        && pasteNote) {
      note(["表格内容过多，本浏览器无法暂存；请尽快保存草稿"]);
    }
  }

  function changed() {
    dirty = true;
    if (!keep) return;
    window.clearTimeout(keepTimer);
    keepTimer = window.setTimeout(keepNow, 400);
  }

  function restore(kept) {
    body.querySelectorAll("tr.grid-row").forEach((tr) => tr.remove());
    addRows(Math.max(kept.length, 1));
    rows().forEach((tr, i) => {
      const [id, values] = kept[i] || ["", []];
      tr.querySelector("input.row-id").value = id;
      keys.forEach((key, k) => {
        const input = tr.querySelector('[data-key="' + key + '"]');
        input.value = values[k] || "";
        input.closest("td").classList.remove("cell-error");
        check(input);
      });
    });
    if (problems) problems.hidden = true;
    dirty = true;
    keepNow();
    overLimit();
  }

  // Rows as the server would take them: blank rows dropped, cells trimmed.
  function filled(all) {
    return all.filter(([, values]) => values.some((v) => v.trim()))
      .map(([id, values]) => [id, values.map((v) => v.trim())]);
  }

  if (keep && keep.earlier && keep.earlier.data) {
    const kept = keep.earlier.data.rows || [];
    if (JSON.stringify(filled(kept)) === JSON.stringify(filled(state()))) {
      if (!dirty) keep.clear();  // the page shows exactly what was kept
    } else if (restoreBox) {
      const count = filled(kept).length;
      const stale = keep.earlier.data.revision !== form.querySelector("[name=revision]").value
        ? "，之后本轮又有保存，恢复后再保存将以恢复的内容为准" : "";
      window.CampaignDeskKeep.offer(restoreBox, keep.earlier, count + " 行" + stale,
                                    () => restore(kept), () => keep.clear());
    }
  }

  body.addEventListener("change", overLimit);

  body.addEventListener("click", (event) => {
    const button = event.target.closest("button.delete-row");
    if (!button) return;
    event.preventDefault();
    button.closest("tr").remove();
    if (!rows().length) addRows(1);
    renumber();
    changed();
    overLimit();
  });

  const addButton = document.getElementById("add-row");
  if (addButton) {
    addButton.addEventListener("click", (event) => {
      event.preventDefault();
      addRows(1).querySelector("[data-key]").focus();
      changed();
    });
  }

  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB"
      : Math.ceil(bytes / 1024) + " KB";
  }

  // The body exactly as the form sends it (application/x-www-form-urlencoded, UTF-8).
  function tooLarge(submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const bytes = new URLSearchParams(data).toString().length;
    const over = bytes > maxBytes;
    if (sizeBox) {
      sizeBox.hidden = !over;
      sizeBox.textContent = over ? "表格内容约 " + sizeText(bytes) + "，超过单次提交上限 "
        + sizeText(maxBytes) + "，未提交（填写的内容仍在页面上）。请分批保存：先保存一部分行，"
        + "或缩短活动内容，或上传 Excel 文件导入。" : "";
    }
    return over;
  }

  form.addEventListener("submit", (event) => {
    if (grid.dataset.pasting) {
      event.preventDefault();
      waitingSubmit = event.submitter || false;
      return;
    }
    if (overLimit()) {
      event.preventDefault();
      limitBox.scrollIntoView({block: "center"});
      return;
    }
    if (tooLarge(event.submitter)) {
      event.preventDefault();
      sizeBox.scrollIntoView({block: "center"});
      return;
    }
    // Kept until the server says it has it (the next page's ?saved=): a lost connection
    // or a busy server leaves it to be offered back.
    if (keep) {
      if (dirty) keepNow();
      window.CampaignDeskKeep.tokenField(form, keep);
    }
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  renumber();
  overLimit();
})();
