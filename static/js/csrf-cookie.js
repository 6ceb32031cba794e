// Fills the CSRF fields of forms on pages shared by many readers (see
// core/templatetags/csrf_cookie.py) with the reader's own token: the value of the CSRF cookie,
// which Django accepts in place of a masked token.
(function () {
  "use strict";
  var cookies = {};
  document.cookie.split(";").forEach(function (pair) {
    var at = pair.indexOf("=");
    if (at > 0) cookies[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  });
  document.querySelectorAll("input[data-csrf-cookie]").forEach(function (field) {
    var token = cookies[field.getAttribute("data-csrf-cookie")];
    if (token) field.value = token;
  });
})();
