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

function menuToggle() {
  return document.getElementById("menu-toggle");
}

function setMenuOpen(open) {
  // The top bar's 菜单 (narrow screens): aria-expanded is the one state; the CSS shows the
  // menu from it, screen readers read it.
  menuToggle()?.setAttribute("aria-expanded", open ? "true" : "false");
}

document.addEventListener("click", (event) => {
  const toggle = menuToggle();
  if (toggle && toggle.contains(event.target)) {
    setMenuOpen(toggle.getAttribute("aria-expanded") !== "true");
  } else if (toggle && !toggle.closest("header").contains(event.target)) {
    setMenuOpen(false);
  }
  // The campaign switcher (a <details>) closes when one clicks elsewhere.
  const open = document.querySelector("details.switcher[open]");
  if (open && !open.contains(event.target)) {
    open.removeAttribute("open");
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const switcher = document.querySelector("details.switcher[open]");
  const toggle = menuToggle();
  if (switcher) {
    switcher.removeAttribute("open");
  } else if (toggle?.getAttribute("aria-expanded") === "true") {
    setMenuOpen(false);
    toggle.focus();
  }
});

function megabytes(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}

document.addEventListener("submit", (event) => {
  // <form data-max-bytes data-max-file-bytes>: several photos picked on a phone can pass the
  // server's caps; say so, naming the file or the total, before a long upload is refused.
  const form = event.target;
  if (!form.dataset || !form.dataset.maxBytes) {
    return;
  }
  const files = [...form.querySelectorAll("input[type=file]")].flatMap((input) => [...input.files]);
  const perFile = Number(form.dataset.maxFileBytes || 0);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let problem = "";
  const big = perFile ? files.find((file) => file.size > perFile) : null;
  if (big) {
    problem = `“${big.name}”有 ${megabytes(big.size)} MB，每张不超过 ${Math.round(perFile / 1048576)} MB，请换一张或压缩后再传。`;
  } else if (total > Number(form.dataset.maxBytes)) {
    problem = `所选 ${files.length} 个文件共 ${megabytes(total)} MB，一次最多上传 ${Math.round(form.dataset.maxBytes / 1048576)} MB，请分几次上传。`;
  }
  let note = form.querySelector(".upload-check");
  if (!problem) {
    note?.remove();
    return;
  }
  event.preventDefault();
  if (!note) {
    note = document.createElement("p");
    note.className = "upload-check";
    note.setAttribute("role", "alert");
    form.prepend(note);
  }
  note.textContent = problem;
});
