// @ts-check
/**
 * Forms generated from a command's JSON Schema (the request body in the OpenAPI document), so a command added
 * to the engine appears in the console without a console change. Covers what the engine's schemas use:
 * objects, strings (enum, date, date-time, long text), integers and numbers, booleans, arrays (with min/max
 * items), oneOf unions told apart by a single-valued enum or const (`kind`, a measure's `step`), and values that
 * may be null (left empty, a required one sends null). A date-time is typed in London time, as the clocks run.
 */
import { h, humanise, replace, uid } from './dom.js';
import { LONDON, londonWallClockToIso } from './clocks.js';

/**
 * @typedef {{ type?: string | string[], properties?: Record<string, Schema>, required?: string[], items?: Schema, enum?: unknown[],
 *   const?: unknown, oneOf?: Schema[], anyOf?: Schema[], format?: string, minLength?: number, maxLength?: number, minimum?: number,
 *   maximum?: number, minItems?: number, maxItems?: number, default?: unknown, description?: string, title?: string, nullable?: boolean }} Schema
 * @typedef {{ element: HTMLElement, read: () => unknown, fields: () => Map<string, HTMLElement> }} Editor
 * @typedef {{ choices?: Record<string, { value: string, label: string }[]> }} FormOptions choices: values a
 *   string field (by JSON pointer) is offered as a list of, when the page knows them (the referral's measure ids)
 */

/** A long text gets a textarea. */
const LONG_TEXT = 200;

/** @param {Schema} schema */
function variants(schema) {
  const list = schema.oneOf ?? schema.anyOf;
  return list?.filter((s) => s.type !== 'null');
}

/** Whether null is a value of the schema (`anyOf` with `{type: 'null'}`, a type list with 'null', or OpenAPI 3.0's flag). @param {Schema} schema */
function allowsNull(schema) {
  const list = schema.oneOf ?? schema.anyOf;
  return schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null')) || Boolean(list?.some((s) => s.type === 'null'));
}

/** The property whose single enum value names each variant of a union (e.g. `kind`). @param {Schema[]} list */
function discriminatorOf(list) {
  const first = list[0]?.properties ?? {};
  return Object.keys(first).find((key) => list.every((v) => (v.properties?.[key]?.enum?.length === 1) || v.properties?.[key]?.const !== undefined));
}

/**
 * @param {Schema} schema
 * @param {{ pointer: string, label: string, required: boolean }} at
 * @param {FormOptions} [options]
 * @returns {Editor}
 */
export function editorFor(schema, at, options = {}) {
  const union = variants(schema);
  if (union && union.length === 1 && union[0]) return editorFor({ ...union[0], description: schema.description ?? union[0].description, nullable: allowsNull(schema) }, at, options);
  if (union && union.length > 1) return unionEditor(union, at, options);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) return objectEditor(schema, at, options);
  if (type === 'array') return arrayEditor(schema, at, options);
  if (type === 'boolean') return booleanEditor(schema, at);
  return scalarEditor({ ...schema, nullable: allowsNull(schema) }, type ?? 'string', at, options.choices?.[at.pointer]);
}

/** @param {Schema} schema @param {{ pointer: string, label: string, required: boolean }} at @param {FormOptions} options @returns {Editor} */
function objectEditor(schema, at, options, skip = '', bare = false) {
  const required = new Set(schema.required ?? []);
  const children = Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== skip)
    .map(([name, prop]) => ({ name, editor: editorFor(prop, { pointer: `${at.pointer}/${name}`, label: humanise(name), required: required.has(name) }, options) }));
  const body = children.map((c) => c.editor.element);
  const element = at.pointer === '' || bare ? h('div', null, body) : h('fieldset', null, h('legend', null, at.label, at.required ? '' : ' (optional)'), body);
  return {
    element,
    fields: () => new Map(children.flatMap((c) => [...c.editor.fields()])),
    read() {
      /** @type {Record<string, unknown>} */
      const value = {};
      for (const c of children) {
        const v = c.editor.read();
        if (v !== undefined) value[c.name] = v;
      }
      return !at.required && at.pointer !== '' && Object.keys(value).length === 0 ? undefined : value;
    },
  };
}

/** @param {Schema[]} list @param {{ pointer: string, label: string, required: boolean }} at @param {FormOptions} options @returns {Editor} */
function unionEditor(list, at, options) {
  const key = discriminatorOf(list);
  const names = list.map((v, i) => (key ? String(v.properties?.[key]?.enum?.[0] ?? v.properties?.[key]?.const) : v.title ?? `Option ${i + 1}`));
  const id = uid('variant');
  const select = h('select', { id, name: at.pointer }, h('option', { value: '' }, 'Choose…'), names.map((n, i) => h('option', { value: String(i) }, humanise(n))));
  const holder = h('div');
  /** @type {Editor | undefined} */
  let chosen;
  select.addEventListener('change', () => {
    const index = /** @type {HTMLSelectElement} */ (select).value;
    const variant = index === '' ? undefined : list[Number(index)];
    chosen = variant ? objectEditor(variant, at, options, key, true) : undefined;
    replace(holder, chosen ? chosen.element : null);
  });
  const element = h('fieldset', null, h('legend', null, at.label), h('div', { class: 'field' }, h('label', { for: id }, key ? humanise(key) : 'Kind'), select), holder);
  return {
    element,
    fields: () => new Map([[`${at.pointer}${key ? `/${key}` : ''}`, select], ...(chosen?.fields() ?? [])]),
    read() {
      const index = /** @type {HTMLSelectElement} */ (select).value;
      if (index === '' || !chosen) return undefined;
      const value = /** @type {Record<string, unknown>} */ (chosen.read() ?? {});
      const variant = list[Number(index)];
      return key && variant ? { [key]: variant.properties?.[key]?.enum?.[0] ?? variant.properties?.[key]?.const, ...value } : value;
    },
  };
}

/** @param {Schema} schema @param {{ pointer: string, label: string, required: boolean }} at @param {FormOptions} options @returns {Editor} */
function arrayEditor(schema, at, options) {
  const itemSchema = schema.items ?? { type: 'string' };
  const list = h('ol');
  /** @type {{ editor: Editor, li: HTMLElement }[]} */
  const items = [];
  const fixed = schema.minItems !== undefined && schema.minItems === schema.maxItems;
  const add = () => {
    const n = items.length;
    const editor = editorFor(itemSchema, { pointer: `${at.pointer}/${n}`, label: `${at.label}, item ${n + 1}`, required: true }, options);
    const remove = fixed ? null : h('button', { type: 'button', class: 'danger', onclick: () => { li.remove(); items.splice(items.findIndex((x) => x.li === li), 1); } }, `Remove item ${n + 1}`);
    const li = h('li', null, editor.element, remove);
    items.push({ editor, li });
    list.append(li);
  };
  for (let i = 0; i < (schema.minItems ?? 0); i++) add();
  const addButton = fixed ? null : h('button', { type: 'button', onclick: () => { add(); } }, `Add to ${at.label.toLowerCase()}`);
  const hint = schema.minItems || schema.maxItems ? h('p', { class: 'hint' }, [schema.minItems ? `at least ${schema.minItems}` : '', schema.maxItems ? `at most ${schema.maxItems}` : ''].filter(Boolean).join(', ')) : null;
  const element = h('fieldset', null, h('legend', null, at.label, at.required ? '' : ' (optional)'), hint, list, addButton);
  return {
    element,
    fields: () => new Map([[at.pointer, element], ...items.flatMap((x) => [...x.editor.fields()])]),
    read() {
      const values = items.map((x) => x.editor.read()).filter((v) => v !== undefined);
      return !at.required && values.length === 0 ? undefined : values;
    },
  };
}

/** @param {Schema} schema @param {{ pointer: string, label: string, required: boolean }} at @returns {Editor} */
function booleanEditor(schema, at) {
  const id = uid('f');
  const input = h('input', { id, type: 'checkbox', name: at.pointer, checked: schema.default === true });
  const element = h('div', { class: 'field' }, h('label', { class: 'check', for: id }, input, at.label));
  return { element, fields: () => new Map([[at.pointer, input]]), read: () => /** @type {HTMLInputElement} */ (input).checked };
}

/**
 * @param {Schema} schema @param {string} type @param {{ pointer: string, label: string, required: boolean }} at
 * @param {{ value: string, label: string }[]} [choices] @returns {Editor}
 */
function scalarEditor(schema, type, at, choices) {
  const id = uid('f');
  const common = { id, name: at.pointer, required: at.required };
  /** @type {HTMLElement} */
  let input;
  const def = schema.default === undefined ? undefined : String(schema.default);
  // A required value that may be null ("until further order"): an empty field sends null, and the hint says so.
  const emptyIsNull = at.required && schema.nullable === true;
  if (choices) {
    input = h('select', common, h('option', { value: '' }, at.required && !emptyIsNull ? 'Choose…' : '(none)'), choices.map((c) => h('option', { value: c.value }, c.label)));
  } else if (schema.enum) {
    input = h('select', common, h('option', { value: '' }, at.required && !emptyIsNull ? 'Choose…' : '(none)'), schema.enum.map((v) => h('option', { value: String(v), selected: def === String(v) }, humanise(String(v)))));
  } else if (type === 'integer' || type === 'number') {
    input = h('input', { ...common, type: 'number', inputmode: 'numeric', min: schema.minimum, max: schema.maximum, step: type === 'integer' ? '1' : 'any', value: def });
  } else if (schema.format === 'date') {
    input = h('input', { ...common, type: 'date', value: def });
  } else if (schema.format === 'date-time') {
    input = h('input', { ...common, type: 'datetime-local', step: '60' });
  } else if ((schema.maxLength ?? 0) > LONG_TEXT) {
    input = h('textarea', { ...common, maxlength: schema.maxLength, rows: '3' });
    if (def) /** @type {HTMLTextAreaElement} */ (input).value = def;
  } else {
    input = h('input', { ...common, type: 'text', maxlength: schema.maxLength, value: def });
  }
  if (emptyIsNull) input.removeAttribute('required');
  const hintText = [
    schema.description,
    // The engine's clocks run on London time, so a time typed here is London time whatever the browser's zone.
    schema.format === 'date-time' ? `Time in London (${LONDON})` : '',
    emptyIsNull ? 'Leave empty for none' : '',
  ].filter(Boolean).join('. ');
  const hint = hintText ? h('p', { class: 'hint', id: `${id}-hint` }, hintText) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  const optional = !at.required || emptyIsNull;
  const element = h('div', { class: 'field' }, h('label', { for: id }, at.label, optional ? ' (optional)' : ''), hint, input);
  return {
    element,
    fields: () => new Map([[at.pointer, input]]),
    read() {
      const raw = /** @type {HTMLInputElement} */ (input).value;
      if (raw === '') return emptyIsNull ? null : undefined;
      if (type === 'integer' || type === 'number') return Number(raw);
      if (schema.format === 'date-time') return londonWallClockToIso(raw);
      return raw;
    },
  };
}

/**
 * Marks the fields the API named in a validation error; returns the errors no field matched.
 * @param {Map<string, HTMLElement>} fields @param {{ path: string, message: string }[]} errors
 */
export function markFieldErrors(fields, errors) {
  for (const el of fields.values()) {
    el.removeAttribute('aria-invalid');
    el.parentElement?.querySelector(':scope > .field-error')?.remove();
  }
  const unmatched = [];
  for (const error of errors) {
    const el = fields.get(error.path);
    if (!el) {
      unmatched.push(error);
      continue;
    }
    const id = uid('err');
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-describedby', `${el.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
    el.insertAdjacentElement('afterend', h('p', { class: 'field-error', id }, readable(error.message)));
  }
  return unmatched;
}

/** The validator's wording for a missing value is written for programmers. @param {string} message */
function readable(message) {
  if (/received undefined/.test(message)) return 'Required: fill this in.';
  const options = /^Invalid option: expected one of (.*)$/.exec(message);
  if (options?.[1]) return `Choose one of: ${options[1].split('|').map((o) => o.replace(/"/g, '').replace(/_/g, ' ')).join(', ')}.`;
  return message;
}
