/* The Markdown editor's helpers in the admin (loaded from a file: no inline scripts, for CSP).
   - The preview gives headings the same ids as the public page: a section's ids start with its
     anchor (or its heading, when the anchor is empty), so the preview address follows those inputs.
   - The reading grade of the text is shown under each editor and follows the text.
   - A refused picture upload shows the server's message instead of markdownx's "Invalid response". */
(function () {
  "use strict";

  var MARKDOWNX_ERROR_TEXT = "Invalid response";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function sibling(editor, field) {
    // "sections-0-body" -> "sections-0-anchor"; "body" -> "anchor".
    var name = editor.name;
    var dash = name.lastIndexOf("-");
    var siblingName = dash === -1 ? field : name.slice(0, dash + 1) + field;
    return editor.form ? editor.form.elements.namedItem(siblingName) : null;
  }

  function followAnchorInputs(editor) {
    var fields = (editor.getAttribute("data-anchor-fields") || "").split(" ").filter(Boolean);
    if (!fields.length) {
      return;
    }
    var inputs = fields.map(function (field) { return sibling(editor, field); });
    function update() {
      var params = new URLSearchParams();
      if (inputs[0] && inputs[0].value) {
        params.set("anchor", inputs[0].value);
      }
      if (inputs[1] && inputs[1].value) {
        params.set("heading", inputs[1].value);
      }
      var url = editor.getAttribute("data-preview-url");
      var query = params.toString();
      editor.setAttribute("data-markdownx-urls-path", query ? url + "?" + query : url);
    }
    update();
    inputs.forEach(function (input) {
      if (input) {
        input.addEventListener("change", function () {
          update();
          editor.dispatchEvent(new Event("input"));
        });
      }
    });
  }

  function addNote(widget, className, role) {
    var note = document.createElement("p");
    note.className = className;
    note.setAttribute("role", role);
    widget.appendChild(note);
    return note;
  }

  function showReadingGrade(editor, note) {
    var body = new FormData();
    body.append("content", editor.value);
    body.append("csrfmiddlewaretoken", csrfToken(editor.form));
    fetch(editor.getAttribute("data-reading-grade-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) {
          note.textContent = data.message;
          note.classList.toggle("reading-grade--high", Boolean(data.above));
        }
      })
      .catch(function () { note.textContent = ""; });
  }

  function setUp(widget) {
    var editor = widget.querySelector("textarea");
    if (!editor || !editor.hasAttribute("data-reading-grade-url")) {
      return;
    }
    var grade = addNote(widget, "reading-grade", "status");
    var upload = addNote(widget, "upload-message", "alert");
    followAnchorInputs(editor);
    widget.addEventListener("markdownx.update", function () { showReadingGrade(editor, grade); });
    widget.addEventListener("markdownx.fileUploadEnd", function () {
      upload.classList.remove("upload-message--error");
      upload.textContent = "Picture uploaded. Replace “Describe the picture here” with what the picture shows.";
    });
    widget.addEventListener("markdownx.fileUploadError", function (event) {
      var response = event.detail && event.detail[0];
      upload.classList.add("upload-message--error");
      upload.textContent = (response && response.error) || "The picture could not be uploaded.";
      // markdownx types its own error text into the editor just after this event: take it out.
      window.setTimeout(function () {
        editor.value = editor.value.replace(MARKDOWNX_ERROR_TEXT, "");
        editor.dispatchEvent(new Event("input"));
      }, 0);
    });
    showReadingGrade(editor, grade);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".markdownx"), setUp);
  });
})();
