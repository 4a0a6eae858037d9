/* The screen display: shows the photos one after another and refreshes its data every
   minute from data.json (the page also reloads itself every ten minutes by meta refresh). */
(function () {
  "use strict";
  var ROTATE_MS = 8000, REFRESH_MS = 60000;

  function rotate() {
    var photos = document.querySelectorAll("#screen-photos .screen-photo");
    if (photos.length < 2) { return; }
    var current = 0;
    photos.forEach(function (p, i) { if (p.classList.contains("shown")) { current = i; } });
    photos[current].classList.remove("shown");
    photos[(current + 1) % photos.length].classList.add("shown");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function render(data) {
    document.getElementById("screen-slogan").textContent = data.slogan;
    var figures = document.getElementById("screen-figures");
    figures.replaceChildren.apply(figures, data.figures.map(function (f) {
      var box = element("div", "screen-figure");
      var value = element("div", "value", Number(f.value).toLocaleString("zh-CN"));
      value.appendChild(element("small", "", f.unit));
      box.appendChild(value);
      box.appendChild(element("div", "label", f.label));
      return box;
    }));
    if (data.photos.length) {
      var holder = document.getElementById("screen-photos");
      holder.replaceChildren.apply(holder, data.photos.map(function (p, i) {
        var figure = element("figure", "screen-photo" + (i === 0 ? " shown" : ""));
        var img = element("img");
        img.src = p.src;
        img.alt = p.caption;
        figure.appendChild(img);
        figure.appendChild(element("figcaption", "", p.caption + " · " + p.unit));
        return figure;
      }));
    }
    if (data.headlines.length) {
      var track = document.getElementById("screen-headlines");
      track.replaceChildren.apply(track, data.headlines.map(function (h) {
        var line = element("span", "headline", h.title);
        line.appendChild(element("em", "", h.unit));
        return line;
      }));
    }
  }

  function refresh() {
    var url = document.body.dataset.url;
    if (!url) { return; }
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* keep showing the last data; meta refresh retries later */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.setInterval(rotate, ROTATE_MS);
    window.setInterval(refresh, REFRESH_MS);
  });
})();
