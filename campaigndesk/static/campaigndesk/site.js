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
