// News briefs: apply a proofreading suggestion, fill an element, pick a span to comment on,
// copy the WeChat HTML. No inline scripts anywhere: everything hangs on data attributes.
(function () {
  "use strict";

  function fieldFor(name) {
    return document.getElementById(name === "title" ? "id_title" : "id_body");
  }

  // Replace the finding's text by its suggestion. The offsets come from the last check; if
  // the reporter typed since, the text is looked up again nearest to where it was.
  function applySuggestion(button) {
    var field = fieldFor(button.dataset.field);
    if (!field) { return; }
    var text = button.dataset.text, suggestion = button.dataset.suggestion;
    var start = parseInt(button.dataset.start, 10);
    var value = field.value;
    if (value.substr(start, text.length) !== text) {
      var before = value.lastIndexOf(text, start), after = value.indexOf(text, start);
      if (before < 0 && after < 0) { button.disabled = true; return; }
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

  // Offsets of the current selection inside the reviewed text, counted over its text nodes
  // (the text is shown with white-space: pre-wrap, so they equal offsets into the body).
  function offsetIn(root, node, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), total = 0, current;
    while ((current = walker.nextNode())) {
      if (current === node) { return total + offset; }
      total += current.nodeValue.length;
    }
    return -1;
  }

  function pickSpan() {
    var root = document.getElementById("review-body");
    var form = document.getElementById("comment-form");
    if (!root || !form) { return; }
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) { return; }
    var start = offsetIn(root, range.startContainer, range.startOffset);
    var end = offsetIn(root, range.endContainer, range.endOffset);
    if (start < 0 || end <= start) { return; }
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = end;
    document.getElementById("comment-quote").textContent = root.textContent.slice(start, end);
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

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-apply-suggestion], [data-fill-element], [data-copy]");
    if (!target) { return; }
    event.preventDefault();
    if (target.hasAttribute("data-apply-suggestion")) { applySuggestion(target); }
    else if (target.hasAttribute("data-fill-element")) { fillElement(target); }
    else { copyHtml(target); }
  });
  document.addEventListener("mouseup", pickSpan);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) { pickSpan(); }
  });
})();
