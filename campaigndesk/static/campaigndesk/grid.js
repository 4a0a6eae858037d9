/* The progress grid: a table of inputs that behaves like a spreadsheet.
 * Arrow keys and Enter move between cells, a block copied from Excel or WPS (tab-separated,
 * quoted cells for line breaks) pastes across cells and adds rows, and obvious mistakes are
 * marked at once. The server checks everything again on save; this only saves a round trip.
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
  let dirty = false;

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

  body.addEventListener("paste", (event) => {
    if (!editable) return;
    const input = event.target.closest("[data-key]");
    if (!input) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\n$/, ""))) return; // one cell: let the browser paste
    event.preventDefault();
    const block = parseTsv(text);
    const [r0, c0] = position(input);
    const missing = r0 + block.length - rows().length;
    if (missing > 0) addRows(missing);
    const all = rows();
    block.forEach((values, dr) => {
      values.forEach((value, dc) => {
        const key = keys[c0 + dc];
        const target = key && all[r0 + dr].querySelector('[data-key="' + key + '"]');
        if (target) { target.value = value.trim(); check(target); }
      });
    });
    dirty = true;
    overLimit();
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
    dirty = true;
    check(input);
  });

  rows().forEach((tr) => tr.querySelectorAll("[data-key]").forEach(check));
  if (!editable) return;

  body.addEventListener("change", overLimit);

  body.addEventListener("click", (event) => {
    const button = event.target.closest("button.delete-row");
    if (!button) return;
    event.preventDefault();
    button.closest("tr").remove();
    if (!rows().length) addRows(1);
    renumber();
    dirty = true;
    overLimit();
  });

  const addButton = document.getElementById("add-row");
  if (addButton) {
    addButton.addEventListener("click", (event) => {
      event.preventDefault();
      addRows(1).querySelector("[data-key]").focus();
      dirty = true;
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
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  renumber();
  overLimit();
})();
