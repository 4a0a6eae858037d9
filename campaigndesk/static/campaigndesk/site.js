// Behaviour shared by every page. No inline scripts or event-handler attributes anywhere:
// the Content-Security-Policy allows scripts from our own files only.
"use strict";

document.addEventListener("change", (event) => {
  // <select data-submit-on-change>: filter lists as soon as a choice is made.
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

document.addEventListener("htmx:responseError", (event) => {
  // A refused htmx request (an oversized upload, a busy database, an error) answers with a
  // Chinese sentence.
  const xhr = event.detail.xhr;
  if (xhr && xhr.status >= 400 && xhr.status < 600 && xhr.responseText
      && xhr.getResponseHeader("Content-Type")?.startsWith("text/plain")) {
    window.alert(xhr.responseText);
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // A form that came back with errors opens at its summary (请修改以下 N 处), focused so that
  // screen readers read it; its links move the cursor into the field named.
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.scrollIntoView({ block: "start" });
  summary.focus({ preventScroll: true });
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });
});

document.addEventListener("click", (event) => {
  // The campaign switcher (a <details>) closes when one clicks elsewhere.
  const open = document.querySelector("details.switcher[open]");
  if (open && !open.contains(event.target)) {
    open.removeAttribute("open");
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    document.querySelector("details.switcher[open]")?.removeAttribute("open");
  }
});
