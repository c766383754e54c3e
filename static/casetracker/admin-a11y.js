// Give Django's autocomplete pickers (Select2) and inline delete boxes what screen readers need: each is
// named after its field's label or column, and a picker's chosen items hold list items only. Runs again
// whenever the page redraws a picker or adds a row.
"use strict";
{
    function nameOf(select) {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        const text = select.getAttribute("aria-label") || (label && label.textContent) || select.name;
        return text.replace(/:\s*$/, "").trim();
    }

    function describe(container) {
        const select = container.previousElementSibling;
        if (!select || select.tagName !== "SELECT" || select.id.includes("__prefix__")) {
            return;
        }
        const name = nameOf(select);
        for (const box of container.querySelectorAll(".select2-selection[role=combobox]")) {
            if (box.getAttribute("aria-label") !== name) {
                box.removeAttribute("aria-labelledby");  // it points at the chosen text, often empty
                box.setAttribute("aria-label", name);
            }
        }
        for (const input of container.querySelectorAll(
            ".select2-search__field:not([aria-label]), .select2-selection__rendered[role=textbox]:not([aria-label])"
        )) {
            input.setAttribute("aria-label", name);
        }
        for (const extra of container.querySelectorAll("ul.select2-selection__rendered > :not(li)")) {
            extra.setAttribute("role", "listitem");  // the "remove all" cross sits among the chosen items
        }
    }

    function describeAll() {
        document.querySelectorAll("span.select2").forEach(describe);
        // The formset adds its delete box after the form named its fields: name it after its column.
        for (const box of document.querySelectorAll(".tabular td.delete input[type=checkbox]:not([aria-label])")) {
            const heading = box.closest("table").querySelector("thead th:last-child");
            box.setAttribute("aria-label", heading ? heading.textContent.trim() : "Delete");
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        describeAll();
        new MutationObserver(describeAll).observe(document.body, {childList: true, subtree: true});
    });
}
