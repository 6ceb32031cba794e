// A save waits for the pictures being uploaded in the rich-text editors.
//
// CKEditor inserts an <img> without its address while the upload runs and fills it in when the
// server answers; a form sent in between stored an empty picture. While any editor of the page
// has a pending action (CKEditor's PendingActions plugin: uploads), the save buttons are disabled
// and say why; a form sent anyway (Enter in a field) is held until the uploads are done.
(function () {
  "use strict";
  var watched = new Set();
  var SUBMITS = 'form input[type=submit], form button[type=submit]';

  function pendingEditors() {
    var editors = window.editors || {};
    return Object.keys(editors).filter(function (id) {
      var editor = editors[id];
      return editor && editor.plugins.has("PendingActions") && editor.plugins.get("PendingActions").hasAny;
    });
  }

  function refresh() {
    var busy = pendingEditors().length > 0;
    document.documentElement.toggleAttribute("data-uploads-pending", busy);
    document.querySelectorAll(SUBMITS).forEach(function (button) {
      if (!button.closest("#changelist-form, .workflow-step")) {
        if (busy) {
          if (!button.disabled) button.dataset.disabledForUpload = "1";
          button.disabled = true;
        } else if (button.dataset.disabledForUpload) {
          delete button.dataset.disabledForUpload;
          button.disabled = false;
        }
      }
    });
    var note = document.getElementById("uploads-pending-note");
    if (busy && !note) {
      var row = document.querySelector(".submit-row");
      if (row) {
        note = document.createElement("p");
        note.id = "uploads-pending-note";
        note.className = "uploads-pending";
        note.setAttribute("role", "status");
        note.textContent = document.documentElement.lang === "en"
          ? "Waiting for the pictures being uploaded…"
          : "Đang chờ tải ảnh lên xong…";
        row.prepend(note);
      }
    } else if (!busy && note) {
      note.remove();
    }
  }

  function watch() {
    var editors = window.editors || {};
    Object.keys(editors).forEach(function (id) {
      var editor = editors[id];
      if (!editor || watched.has(editor) || !editor.plugins.has("PendingActions")) return;
      watched.add(editor);
      editor.plugins.get("PendingActions").on("change:hasAny", refresh);
    });
  }

  document.addEventListener("submit", function (event) {
    if (pendingEditors().length === 0) return;
    event.preventDefault();
    refresh();
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    // Editors are created asynchronously and when inline rows are added.
    watch();
    setInterval(watch, 500);
  });
})();
