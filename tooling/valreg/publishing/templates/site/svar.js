// The answer form: builds a høringssvar (the file `valreg propose` names) in the browser,
// checks it against the JSON Schema that `valreg schema proposal` exports, and offers it
// as a download and, where the registry names its repository, as a GitHub link. Every
// string is written as a double-quoted YAML scalar with JSON escaping, so nothing typed
// can change the file's structure. A draft is kept in this browser's localStorage only.
(function () {
  "use strict";
  var dataElement = document.getElementById("svar-data");
  var form = document.getElementById("svarformular");
  if (!dataElement || !form) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var round = data.round;
  var draftKey = "valreg-svar-" + round.id;
  var maxLink = 8000;
  var byValue = {};
  data.values.forEach(function (v) {
    byValue[v.id] = v;
  });

  function $(id) {
    return document.getElementById(id);
  }

  // --- JSON Schema (the subset pydantic writes) -------------------------------------

  function resolve(node) {
    while (node && node.$ref) {
      node = data.schema.$defs[node.$ref.replace("#/$defs/", "")];
    }
    return node;
  }

  function typeOf(value) {
    if (value === null) {
      return "null";
    }
    if (Array.isArray(value)) {
      return "array";
    }
    if (typeof value === "number") {
      return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
  }

  function validate(value, node, path, errors) {
    node = resolve(node);
    if (!node) {
      return;
    }
    if (node.anyOf || node.oneOf) {
      var options = (node.anyOf || node.oneOf).map(resolve);
      if (node.discriminator && value && typeof value === "object") {
        var target = node.discriminator.mapping[value[node.discriminator.propertyName]];
        if (!target) {
          errors.push({ path: path.concat([node.discriminator.propertyName]), keyword: "enum" });
          return;
        }
        validate(value, { $ref: target }, path, errors);
        return;
      }
      var best = null;
      for (var i = 0; i < options.length; i += 1) {
        var found = [];
        validate(value, options[i], path, found);
        if (!found.length) {
          return;
        }
        if (!options[i].type || options[i].type === typeOf(value) ||
            (options[i].type === "number" && typeOf(value) === "integer")) {
          best = best || found;
        }
      }
      Array.prototype.push.apply(errors, best || [{ path: path, keyword: "type" }]);
      return;
    }
    var type = typeOf(value);
    if (node.type && node.type !== type && !(node.type === "number" && type === "integer")) {
      errors.push({ path: path, keyword: "type", expected: node.type });
      return;
    }
    if ("const" in node && value !== node.const) {
      errors.push({ path: path, keyword: "const" });
    }
    if (node.enum && node.enum.indexOf(value) === -1) {
      errors.push({ path: path, keyword: "enum", allowed: node.enum });
    }
    if (type === "string") {
      var length = Array.from(value).length; // code points, as the checker counts
      if (node.maxLength !== undefined && length > node.maxLength) {
        errors.push({ path: path, keyword: "maxLength", limit: node.maxLength, length: length });
      }
      if (node.minLength !== undefined && length < node.minLength) {
        errors.push({ path: path, keyword: "minLength", limit: node.minLength });
      }
      if (node.pattern && !new RegExp(node.pattern, "u").test(value)) {
        errors.push({ path: path, keyword: "pattern", pattern: node.pattern });
      } else if (node.format === "date" && !realDate(value)) {
        errors.push({ path: path, keyword: "format" });
      }
    }
    if (type === "integer" || type === "number") {
      if (node.minimum !== undefined && value < node.minimum) {
        errors.push({ path: path, keyword: "minimum" });
      }
      if (node.maximum !== undefined && value > node.maximum) {
        errors.push({ path: path, keyword: "maximum" });
      }
    }
    if (type === "array") {
      if (node.minItems !== undefined && value.length < node.minItems) {
        errors.push({ path: path, keyword: "minItems" });
      }
      value.forEach(function (item, n) {
        validate(item, node.items, path.concat([n]), errors);
      });
    }
    if (type === "object") {
      (node.required || []).forEach(function (key) {
        if (!(key in value)) {
          errors.push({ path: path.concat([key]), keyword: "required" });
        }
      });
      Object.keys(value).forEach(function (key) {
        if (node.properties && key in node.properties) {
          validate(value[key], node.properties[key], path.concat([key]), errors);
        } else if (node.additionalProperties === false) {
          errors.push({ path: path.concat([key]), keyword: "additionalProperties" });
        }
      });
    }
  }

  function realDate(text) {
    var parts = text.split("-").map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    return date.getUTCFullYear() === parts[0] && date.getUTCMonth() === parts[1] - 1 &&
      date.getUTCDate() === parts[2];
  }

  function message(error) {
    var field = error.path[error.path.length - 1];
    switch (error.keyword) {
      case "required":
        return "Skal udfyldes.";
      case "maxLength":
        return "Teksten er for lang: højst " + error.limit + " tegn (nu " + error.length + ").";
      case "format":
        return "Skriv en rigtig dato.";
      case "pattern":
        if (error.pattern === "\\S") {
          return "Skriv en tekst (ikke kun mellemrum).";
        }
        if (field === "minutes") {
          return "Skriv en webadresse, der begynder med https://, uden mellemrum.";
        }
        if (field === "submitted" || field === "date") {
          return "Skriv datoen som år-måned-dag, fx 2019-09-20.";
        }
        return "Værdien har ikke den rigtige form.";
      case "enum":
        return "Vælg en af mulighederne.";
      default:
        return "Værdien passer ikke til filens skema (" + error.keyword + ").";
    }
  }

  // --- the file ------------------------------------------------------------------------

  // JSON escaping, plus the line and paragraph separators that YAML 1.1 reads as breaks.
  function quoted(text) {
    return JSON.stringify(String(text)).replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029").replace(/\u0085/g, "\\u0085");
  }

  function scalar(value) {
    return value === null ? "null" : quoted(value);
  }

  function toYaml(proposal) {
    var lines = ["# Høringssvar lavet med svarformularen på registrets hjemmeside."];
    ["round", "municipality", "submitted", "submitted_by"].forEach(function (key) {
      if (key in proposal) {
        lines.push(key + ": " + scalar(proposal[key]));
      }
    });
    if (proposal.approved_by) {
      lines.push("approved_by:");
      Object.keys(proposal.approved_by).forEach(function (key) {
        lines.push("  " + key + ": " + scalar(proposal.approved_by[key]));
      });
    }
    ["changes", "answers"].forEach(function (list) {
      if (!proposal[list] || !proposal[list].length) {
        return;
      }
      lines.push(list + ":");
      proposal[list].forEach(function (item) {
        Object.keys(item).forEach(function (key, n) {
          var value = Array.isArray(item[key]) ?
            "[" + item[key].map(scalar).join(", ") + "]" : scalar(item[key]);
          lines.push((n ? "    " : "  - ") + key + ": " + value);
        });
      });
    });
    return lines.join("\n") + "\n";
  }

  // Reads back a file this form (or `valreg propose`, once filled in) wrote: block
  // mappings and lists of mappings with one scalar per line. Anything else is refused.
  function fromYaml(text) {
    var root = {};
    var list = null;
    var item = null;
    var mapping = null;
    text.split(/\r?\n/).forEach(function (raw, n) {
      var line = raw.replace(/\s+#[^"]*$/, "");
      if (!line.trim() || /^\s*#/.test(line)) {
        return;
      }
      var match = /^( *)(- )?([a-z_]+):(?: (.*))?$/.exec(line);
      if (!match) {
        throw new Error("linje " + (n + 1));
      }
      var indent = match[1].length;
      var value = match[4] === undefined ? undefined : readScalar(match[4], n);
      if (indent === 0 && !match[2]) {
        list = mapping = item = null;
        if (value === undefined) {
          if (match[3] === "approved_by") {
            mapping = root[match[3]] = {};
          } else {
            list = root[match[3]] = [];
          }
        } else {
          root[match[3]] = value;
        }
      } else if (match[2] && list && indent === 2) {
        item = {};
        list.push(item);
        item[match[3]] = value;
      } else if (item && indent === 4 && !match[2]) {
        item[match[3]] = value;
      } else if (mapping && indent === 2 && !match[2]) {
        mapping[match[3]] = value;
      } else {
        throw new Error("linje " + (n + 1));
      }
    });
    return root;
  }

  function readScalar(text, n) {
    text = text.trim();
    if (text === "null" || text === "~" || text === "") {
      return null;
    }
    if (text[0] === '"') {
      return JSON.parse(text);
    }
    if (text[0] === "[") {
      return text.slice(1, -1).split(",").map(function (part) {
        return readScalar(part, n);
      });
    }
    if (/^['{|>&*!%@`]/.test(text)) {
      throw new Error("linje " + (n + 1));
    }
    return text;
  }

  // --- the form's state ----------------------------------------------------------------

  function municipality() {
    var typed = $("kommune").value.trim().toLocaleLowerCase("da");
    if (!typed) {
      return null;
    }
    var code = (/(\d{1,3})\)?$/.exec(typed) || [])[1];
    return data.municipalities.filter(function (m) {
      return (code && Number(m.code) === Number(code)) || m.name.toLocaleLowerCase("da") === typed;
    })[0] || null;
  }

  function action(valueId) {
    var checked = form.querySelector('input[name="handling-' + valueId + '"]:checked');
    return checked ? checked.value : "keep";
  }

  function text(id) {
    var element = $(id);
    return element ? element.value : "";
  }

  function filled(textValue) {
    return textValue.trim() !== "";
  }

  // The proposal, and for each of its paths the field it came from.
  function build() {
    var proposal = { round: round.id };
    var fields = {};
    var found = municipality();
    proposal.municipality = found ? found.code : text("kommune").trim();
    fields["/municipality"] = "kommune";
    proposal.submitted = text("submitted");
    fields["/submitted"] = "submitted";
    if (filled(text("submitted_by"))) {
      proposal.submitted_by = text("submitted_by");
      fields["/submitted_by"] = "submitted_by";
    }
    if (text("body")) {
      proposal.approved_by = { body: text("body") };
      fields["/approved_by/body"] = "body";
      if (text("approved_date")) {
        proposal.approved_by.date = text("approved_date");
        fields["/approved_by/date"] = "approved_date";
      }
      if (filled(text("minutes"))) {
        proposal.approved_by.minutes = text("minutes").trim();
        fields["/approved_by/minutes"] = "minutes";
      }
    }
    var changes = [];
    function add(change, field, rationaleField) {
      change.id = String(changes.length + 1);
      var ordered = { id: change.id };
      Object.keys(change).forEach(function (key) {
        if (key !== "id") {
          ordered[key] = change[key];
        }
      });
      var where = "/changes/" + changes.length + "/";
      fields[where + "text"] = field;
      fields[where + "value"] = field;
      if (rationaleField) {
        fields[where + "rationale"] = rationaleField;
        if (filled(text(rationaleField))) {
          ordered.rationale = text(rationaleField);
        }
      }
      changes.push(ordered);
    }
    function addsAfter(after) {
      var box = $("nye-efter-" + after);
      Array.prototype.forEach.call(box.querySelectorAll(".new-value"), function (block) {
        var id = block.dataset.key;
        add({ kind: "add", after: after || null, text: text("ny-tekst-" + id) },
          "ny-tekst-" + id, "ny-begrundelse-" + id);
      });
    }
    addsAfter("");
    data.values.forEach(function (value) {
      var chosen = action(value.id);
      if (chosen === "amend") {
        add({ kind: "amend", value: value.id, text: text("tekst-" + value.id) },
          "tekst-" + value.id, "begrundelse-" + value.id);
      } else if (chosen === "remove") {
        add({ kind: "remove", value: value.id }, "vaerdi-" + value.id, "begrundelse-" + value.id);
      } else if (chosen === "comment") {
        add({ kind: "comment", value: value.id, text: text("bemaerkning-" + value.id) },
          "bemaerkning-" + value.id, "begrundelse-" + value.id);
      }
      addsAfter(value.id);
    });
    if (filled(text("generelt"))) {
      add({ kind: "comment", text: text("generelt") }, "generelt", null);
    }
    if (changes.length) {
      proposal.changes = changes;
    }
    var answers = [];
    Array.prototype.forEach.call(form.querySelectorAll("textarea.answer"), function (box) {
      if (filled(box.value)) {
        fields["/answers/" + answers.length + "/text"] = box.id;
        answers.push({ question: box.dataset.question, text: box.value });
      }
    });
    if (answers.length) {
      proposal.answers = answers;
    }
    return { proposal: proposal, fields: fields, municipality: found };
  }

  function formChecks(built) {
    var errors = [];
    if (!built.municipality) {
      errors.push({ field: "kommune", text: filled(text("kommune")) ?
        "Kommunen findes ikke; vælg den på listen (navn eller kode)." : "Vælg kommunen." });
    }
    data.values.forEach(function (value) {
      if (action(value.id) === "amend" &&
          text("tekst-" + value.id).trim().replace(/\s+/g, " ") ===
          value.text.trim().replace(/\s+/g, " ")) {
        errors.push({ field: "tekst-" + value.id,
          text: "Teksten er den samme som nu; ret den, eller vælg Behold." });
      }
    });
    return errors;
  }

  // --- showing errors and the result ----------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (p) {
      p.hidden = true;
      p.textContent = "";
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function showError(fieldId, textValue) {
    var field = $(fieldId);
    var box = $(fieldId + "-fejl");
    if (!box && field) {
      box = document.createElement("p");
      box.className = "field-error";
      box.id = fieldId + "-fejl";
      field.insertAdjacentElement("afterend", box);
    }
    if (field && field.matches("input, textarea, select")) {
      field.setAttribute("aria-invalid", "true");
    }
    if (box) {
      box.textContent = box.textContent ? box.textContent + " " + textValue : textValue;
      box.hidden = false;
    }
  }

  var downloadUrl = null;

  function check(event) {
    if (event) {
      event.preventDefault();
    }
    clearErrors();
    $("udfald").hidden = true;
    var built = build();
    var errors = formChecks(built);
    var schemaErrors = [];
    validate(built.proposal, data.schema, [], schemaErrors);
    schemaErrors.forEach(function (error) {
      var path = "/" + error.path.join("/");
      var field = built.fields[path] || built.fields[path.replace(/\/[a-z_]+$/, "/text")];
      errors.push({ field: field || "kommune", text: message(error) });
    });
    if (errors.length) {
      errors.forEach(function (error) {
        showError(error.field, error.text);
      });
      $("resultat").textContent = (errors.length === 1 ? "Der er 1 fejl" :
        "Der er " + errors.length + " fejl") + " i formularen; rettelserne står ved felterne.";
      var first = $(errors[0].field);
      if (first && first.focus) {
        first.focus();
      }
      return;
    }
    offer(built);
  }

  function offer(built) {
    var yaml = toYaml(built.proposal);
    var name = built.municipality.file;
    if (downloadUrl) {
      URL.revokeObjectURL(downloadUrl);
    }
    downloadUrl = URL.createObjectURL(new Blob([yaml], { type: "application/yaml" }));
    var link = $("download");
    link.href = downloadUrl;
    link.download = name;
    link.textContent = "Hent filen " + name;
    $("forhaandsvisning").textContent = yaml;
    var github = $("github");
    if (github && data.repository) {
      var url = data.repository + "/new/" + encodeURIComponent(data.branch) + "/proposals/" +
        encodeURIComponent(round.id) + "?filename=" + encodeURIComponent(name) +
        "&value=" + encodeURIComponent(yaml);
      var fits = url.length <= maxLink;
      $("github-vej").hidden = !fits;
      $("github-for-lang").hidden = fits;
      github.href = fits ? url : "#";
    }
    $("udfald").hidden = false;
    $("resultat").textContent = "Høringssvaret er i orden. Hent filen herunder.";
  }

  // --- the live word diff -----------------------------------------------------------------

  function words(textValue) {
    return textValue.normalize("NFC").split(/\s+/).filter(Boolean);
  }

  function diff(oldText, newText) {
    var a = words(oldText);
    var b = words(newText);
    var table = [];
    for (var i = a.length; i >= 0; i -= 1) {
      table[i] = [];
      for (var j = b.length; j >= 0; j -= 1) {
        table[i][j] = i === a.length || j === b.length ? 0 :
          a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var parts = [];
    i = 0;
    j = 0;
    function push(op, word) {
      var last = parts[parts.length - 1];
      if (last && last.op === op) {
        last.words.push(word);
      } else {
        parts.push({ op: op, words: [word] });
      }
    }
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        push("equal", a[i]);
        i += 1;
        j += 1;
      } else if (j < b.length && (i === a.length || table[i][j + 1] >= table[i + 1][j])) {
        push("insert", b[j]);
        j += 1;
      } else {
        push("delete", a[i]);
        i += 1;
      }
    }
    return parts;
  }

  function showDiff(valueId) {
    var target = $("forskel-" + valueId);
    target.textContent = "";
    diff(byValue[valueId].text, text("tekst-" + valueId)).forEach(function (part, n) {
      if (n) {
        target.appendChild(document.createTextNode(" "));
      }
      var words = part.words.join(" ");
      if (part.op === "equal") {
        target.appendChild(document.createTextNode(words));
        return;
      }
      var mark = document.createElement(part.op === "delete" ? "del" : "ins");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = part.op === "delete" ? "slettet: " : "tilføjet: ";
      mark.appendChild(hidden);
      mark.appendChild(document.createTextNode(words));
      target.appendChild(mark);
    });
  }

  // --- choices, new values, drafts --------------------------------------------------------

  function showChoice(fieldset) {
    var chosen = action(fieldset.dataset.value);
    Array.prototype.forEach.call(fieldset.querySelectorAll(".when"), function (box) {
      box.hidden = !box.classList.contains("when-" + chosen);
    });
    if (chosen === "amend") {
      showDiff(fieldset.dataset.value);
    }
  }

  var newCount = 0;

  function addValue(after, values) {
    newCount += 1;
    var key = String(newCount);
    var where = after ? "efter værdi " + byValue[after].number : "først";
    var block = document.createElement("div");
    block.className = "new-value";
    block.dataset.key = key;
    var title = document.createElement("h3");
    title.textContent = "Ny værdi " + where;
    var textBox = labelledBox("ny-tekst-" + key, "Den nye værdis tekst", 3,
      values ? values.text : "");
    var reasonBox = labelledBox("ny-begrundelse-" + key, "Begrundelse (valgfri)", 2,
      values ? values.rationale : "");
    var remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Fjern den nye værdi " + where;
    remove.addEventListener("click", function () {
      block.remove();
      save();
    });
    [title].concat(textBox, reasonBox, [remove]).forEach(function (el) {
      block.appendChild(el);
    });
    $("nye-efter-" + (after || "")).appendChild(block);
    return textBox[1];
  }

  // A label, its textarea and the textarea's error line.
  function labelledBox(id, labelText, rows, value) {
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = labelText;
    var box = document.createElement("textarea");
    box.id = id;
    box.rows = rows;
    box.value = value || "";
    box.setAttribute("aria-describedby", id + "-fejl");
    return [label, box, errorBox(id)];
  }

  function errorBox(fieldId) {
    var p = document.createElement("p");
    p.className = "field-error";
    p.id = fieldId + "-fejl";
    p.hidden = true;
    return p;
  }

  function reset() {
    form.reset();
    Array.prototype.forEach.call(form.querySelectorAll(".new-value"), function (block) {
      block.remove();
    });
    data.values.forEach(function (v) {
      $("tekst-" + v.id).value = v.text;
    });
    $("submitted").value = today();
  }

  // The form from a proposal (a draft or a loaded file). Returns what it could not show.
  function fill(proposal) {
    reset();
    var skipped = [];
    var code = proposal.municipality;
    var found = data.municipalities.filter(function (m) {
      return code !== undefined && Number(m.code) === Number(code);
    })[0];
    $("kommune").value = found ? found.name + " (" + found.code + ")" : (code || "");
    $("submitted").value = proposal.submitted || today();
    $("submitted_by").value = proposal.submitted_by || "";
    var approval = proposal.approved_by || {};
    $("body").value = approval.body || "";
    $("approved_date").value = approval.date || "";
    $("minutes").value = approval.minutes || "";
    (proposal.changes || []).forEach(function (change) {
      var known = change.value && byValue[change.value];
      if (change.kind === "add" && (!change.after || byValue[change.after])) {
        addValue(change.after || "", change);
        return;
      }
      if (change.kind === "comment" && !change.value) {
        $("generelt").value = change.text || "";
        return;
      }
      if (!known || ["amend", "remove", "comment"].indexOf(change.kind) === -1) {
        skipped.push(change.id);
        return;
      }
      form.querySelector('input[name="handling-' + change.value + '"][value="' +
        change.kind + '"]').checked = true;
      if (change.kind === "amend") {
        $("tekst-" + change.value).value = change.text || "";
      }
      if (change.kind === "comment") {
        $("bemaerkning-" + change.value).value = change.text || "";
      }
      $("begrundelse-" + change.value).value = change.rationale || "";
    });
    (proposal.answers || []).forEach(function (answer) {
      var box = $("svar-" + answer.question);
      if (box) {
        box.value = answer.text || "";
      } else {
        skipped.push(answer.question);
      }
    });
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.value"), showChoice);
    return skipped;
  }

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  function save() {
    try {
      window.localStorage.setItem(draftKey, JSON.stringify(build().proposal));
    } catch (ignored) {
      // No storage (private mode, or full): the form works without a draft.
    }
  }

  function restore() {
    var saved = null;
    try {
      saved = window.localStorage.getItem(draftKey);
    } catch (ignored) {
      saved = null;
    }
    if (saved) {
      fill(JSON.parse(saved));
      $("resultat").textContent = "Kladden fra sidste gang er hentet frem fra denne browser.";
    }
  }

  // --- wiring ------------------------------------------------------------------------------

  $("uden-javascript").hidden = true;
  form.hidden = false;
  $("submitted").value = today();
  Array.prototype.forEach.call(form.querySelectorAll("fieldset.value"), function (fieldset) {
    fieldset.addEventListener("change", function () {
      showChoice(fieldset);
    });
    $("tekst-" + fieldset.dataset.value).addEventListener("input", function () {
      showDiff(fieldset.dataset.value);
    });
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.add-after");
    if (button) {
      addValue(button.dataset.after).focus();
      save();
    }
  });
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", check);
  $("slet-kladde").addEventListener("click", function () {
    try {
      window.localStorage.removeItem(draftKey);
    } catch (ignored) {
      // nothing stored
    }
    reset();
    clearErrors();
    $("udfald").hidden = true;
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.value"), showChoice);
    $("resultat").textContent = "Kladden er slettet.";
  });
  $("indlaes").addEventListener("change", function () {
    var file = this.files[0];
    if (!file) {
      return;
    }
    file.text().then(function (content) {
      var proposal;
      try {
        proposal = fromYaml(content);
      } catch (error) {
        $("resultat").textContent = "Filen kan ikke indlæses i formularen (" + error.message +
          "). Send den i stedet pr. e-mail, eller ret den i hånden.";
        return;
      }
      if (proposal.round && proposal.round !== round.id) {
        $("resultat").textContent = "Filen er til høringsrunde " + proposal.round +
          ", ikke " + round.id + ".";
        return;
      }
      var skipped = fill(proposal);
      save();
      $("resultat").textContent = skipped.length ?
        "Filen er indlæst, men formularen kan ikke vise " + skipped.join(", ") +
        " (fx en sammenlægning eller flytning); skriv det i en bemærkning." :
        "Filen er indlæst. Ret det, I vil, og lav filen igen.";
    });
  });
  var wanted = new URLSearchParams(window.location.search).get("kommune");
  restore();
  if (wanted && !filled(text("kommune"))) {
    var preset = data.municipalities.filter(function (m) {
      return Number(m.code) === Number(wanted);
    })[0];
    if (preset) {
      $("kommune").value = preset.name + " (" + preset.code + ")";
    }
  }
})();
