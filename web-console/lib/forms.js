// Forms: reading values, and placing the server's 4xx message next to the field it names.
import { html, nothing } from './html.js';

/**
 * A form's values by name: checkboxes as booleans, number inputs as numbers (null when empty), everything
 * else as trimmed strings, except textareas and password fields, which are kept as typed.
 */
export function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === 'checkbox') values[element.name] = element.checked;
    else if (element.type === 'number') values[element.name] = element.value === '' ? null : Number(element.value);
    else if (element.type === 'radio') { if (element.checked) values[element.name] = element.value; }
    else if (element.tagName === 'TEXTAREA' || element.type === 'password' || element.type === 'file') {
      values[element.name] = element.type === 'file' ? element.files : element.value;
    } else values[element.name] = element.value.trim();
  }
  return values;
}

/**
 * Which field an error is about: the problem's `field` or `errors[].field`, else the field its detail starts
 * with ("timeout_s must be at most 900", "name: ..."), else none (_form). Returns {field: message} or
 * {_form: message}.
 */
export function problemErrors(error, fields = []) {
  const problem = error?.problem;
  const message = error?.message || String(error);
  const known = new Set(fields);
  const named = problem?.field || (Array.isArray(problem?.errors) && problem.errors[0]?.field);
  if (named && known.has(named)) {
    if (Array.isArray(problem?.errors) && problem.errors.length > 1) {
      const errors = {};
      for (const e of problem.errors) {
        const target = known.has(e.field) ? e.field : '_form';
        errors[target] = errors[target] ? `${errors[target]}; ${e.message}` : e.message;
      }
      return errors;
    }
    return { [named]: message };
  }
  const leading = /^['"“`]?([A-Za-z_][A-Za-z0-9_.]*)/.exec(problem?.detail || '');
  if (leading && known.has(leading[1])) return { [leading[1]]: message };
  return { _form: message };
}

/** The message for one field, shown right after it (role=alert so screen readers hear it). */
export function errorFor(errors, field) {
  const message = errors?.[field];
  return message ? html`<p class="error field-error" role="alert" data-error-for=${field}>${message}</p>` : nothing;
}

/** The message that names no field of the form, shown at its foot. */
export function formError(errors) {
  return errors?._form ? html`<p class="error form-error" role="alert">${errors._form}</p>` : nothing;
}

/** aria-invalid for a field with an error. */
export const invalid = (errors, field) => (errors?.[field] ? 'true' : 'false');
