// News briefs: apply a proofreading suggestion, fill an element, pick a span to comment on,
// copy the WeChat HTML. No inline scripts anywhere: everything hangs on data attributes.
(function () {
  "use strict";

  function fieldFor(name) {
    return document.getElementById(name === "title" ? "id_title" : "id_body");
  }

  // Offsets from the server count code points of the canonical text (LF line breaks, NFC);
  // JavaScript strings count UTF-16 units, in which 😊 or a CJK Ext-B character is two.
  function codePoints(text) { return Array.from(text).length; }

  function unitIndex(text, points) {
    return Array.from(text).slice(0, points).join("").length;
  }

  function canonical(text) {
    text = text.replace(/\r\n?/g, "\n");
    return text.normalize ? text.normalize("NFC") : text;
  }

  // 字数 as WPS/Word count it: the same class of spaces as campaigndesk/proofing/text.py.
  var SPACE = /[ \t\n\r\f\v\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

  function countChars(text) {
    return codePoints(text) - (text.match(SPACE) || []).length;
  }

  function updateCount(field) {
    var shown = document.querySelector("[data-count-for='" + field.id + "']");
    if (shown) { shown.textContent = String(countChars(field.value)); }
  }

  // Replace exactly the finding's text by its suggestion, in the field it was found in. The
  // offsets come from the last check; if the reporter typed since, the same text is looked up
  // again nearest to where it was, and when it is gone the button says so and does nothing.
  function applySuggestion(button) {
    var field = fieldFor(button.dataset.field);
    if (!field) { return; }
    var text = button.dataset.text, suggestion = button.dataset.suggestion;
    var value = canonical(field.value);
    var start = unitIndex(value, parseInt(button.dataset.start, 10));
    if (!text || value.substr(start, text.length) !== text) {
      var before = text ? value.lastIndexOf(text, start) : -1;
      var after = text ? value.indexOf(text, start) : -1;
      if (before < 0 && after < 0) {
        button.disabled = true;
        button.textContent = "原文已修改";
        return;
      }
      start = (before < 0 || (after >= 0 && after - start < start - before)) ? after : before;
    }
    field.value = value.slice(0, start) + suggestion + value.slice(start + text.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    button.disabled = true;
    button.textContent = "已采纳";
  }

  function fillElement(button) {
    var input = document.getElementById("id_" + button.dataset.target);
    if (input) {
      input.value = button.dataset.value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  // The selection inside the reviewed text as code-point offsets into the version's body
  // (shown with white-space: pre-wrap, so the page's text is the body). Measured with ranges
  // from the start of the text, which holds whether the selection ends in a text node or
  // between elements (a double click, a shift-click, a triple click); a selection running
  // past the text is cut to it, and spaces and line breaks at its ends are left out.
  function pickSpan() {
    var root = document.getElementById("review-body");
    var form = document.getElementById("comment-form");
    if (!root || !form) { return; }
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(root)) { return; }
    var whole = document.createRange();
    whole.selectNodeContents(root);
    if (range.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
      range.setStart(whole.startContainer, whole.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
      range.setEnd(whole.endContainer, whole.endOffset);
    }
    var before = document.createRange();
    before.setStart(whole.startContainer, whole.startOffset);
    before.setEnd(range.startContainer, range.startOffset);
    var selected = range.toString();
    var lead = selected.length - selected.replace(/^\s+/, "").length;
    var quote = selected.trim();
    if (!quote) { return; }
    var start = codePoints(before.toString()) + codePoints(selected.slice(0, lead));
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = start + codePoints(quote);
    form.querySelector("[name=quote]").value = quote;
    document.getElementById("comment-quote").textContent = quote;
    form.querySelector("button[type=submit]").disabled = false;
  }

  function copyHtml(button) {
    var source = document.getElementById(button.dataset.source);
    if (!source) { return; }
    source.select();
    var done = function () { button.textContent = "已复制"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done, function () {
        document.execCommand("copy"); done();
      });
    } else {
      document.execCommand("copy"); done();
    }
  }

  // A highlighted word's explanation is its title, which only a mouse's hover shows. A tap
  // (a phone has no hover) or keyboard focus shows it in a box under the word, kept inside
  // the screen; tapping elsewhere, Escape or leaving the word hides it.
  var tip = null, tipFor = null;

  function hideTip() {
    if (tip) { tip.hidden = true; }
    if (tipFor) { tipFor.removeAttribute("aria-describedby"); }
    tipFor = null;
  }

  function showTip(mark) {
    var text = mark.getAttribute("title");
    if (!text) { return; }
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "mark-tip";
      tip.className = "mark-tip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    hideTip();
    tip.textContent = text;
    tip.hidden = false;
    tipFor = mark;
    mark.setAttribute("aria-describedby", "mark-tip");
    var box = mark.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(box.left, width - tip.offsetWidth - 8));
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (box.bottom + window.scrollY + 4) + "px";
  }

  document.addEventListener("focusin", function (event) {
    var mark = event.target.closest && event.target.closest("mark[title]");
    if (mark) { showTip(mark); } else { hideTip(); }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === tipFor) { hideTip(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hideTip(); }
  });
  // A finding's link in the list jumps to its mark: show what the mark says there too
  // (the reviewer's text has no focusable marks, so this is the keyboard's way in).
  window.addEventListener("hashchange", function () {
    var id = decodeURIComponent(location.hash.slice(1));
    var mark = id && document.getElementById(id);
    if (mark && mark.matches("mark[title]")) { showTip(mark); }
  });

  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[title]");
    var selection = window.getSelection();
    // A drag that selects words for a comment ends with a click too: no box then.
    if (mark && (!selection || selection.isCollapsed)) { showTip(mark); return; }
    if (tipFor && !event.target.closest("#mark-tip")) { hideTip(); }
    var target = event.target.closest("[data-apply-suggestion], [data-fill-element], [data-copy]");
    if (!target) { return; }
    event.preventDefault();
    if (target.hasAttribute("data-apply-suggestion")) { applySuggestion(target); }
    else if (target.hasAttribute("data-fill-element")) { fillElement(target); }
    else { copyHtml(target); }
  });
  document.addEventListener("mouseup", pickSpan);
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-counted]")) { updateCount(event.target); }
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) { pickSpan(); }
  });
  // A phone selects by long-press and drag handles: no mouseup, only selectionchange.
  // Collapsed selections are ignored by pickSpan, so tapping the comment box keeps the span.
  var pending = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(pending);
    pending = setTimeout(pickSpan, 150);
  });
})();
