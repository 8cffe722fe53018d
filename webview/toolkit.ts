/**
 * Every use of @vscode/webview-ui-toolkit lives here: registering its elements and small factories
 * for the controls the panel uses. Swapping the toolkit for another (it is deprecated upstream) is a
 * change to this file only; callers see plain HTMLElements and small handles.
 */
import { endProbeShim } from './toolkitCsp';
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { h, setAttrs, uid } from './dom';
import { icon as makeIcon, type IconName } from './icons';

let registered = false;

/** Defines the toolkit's custom elements (once). */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  endProbeShim();
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
    vsCodeTextField(),
  );
}

/** A button; `icon` is shown before the label (hidden from screen readers). */
export interface ButtonHandle {
  el: HTMLElement;
  setLabel(label: string, icon?: IconName): void;
  setDisabled(disabled: boolean): void;
  setPressed(pressed: boolean | null): void;
}

export function makeButton(options: {
  label: string;
  icon?: IconName;
  title?: string;
  appearance?: 'primary' | 'secondary';
  onClick: () => void;
}): ButtonHandle {
  const el = document.createElement('vscode-button');
  el.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.title) el.setAttribute('title', options.title);
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) options.onClick();
  });
  const handle: ButtonHandle = {
    el,
    setLabel(label, icon) {
      while (el.firstChild) el.removeChild(el.firstChild);
      if (icon) el.appendChild(h('span', { className: 'btn-icon' }, makeIcon(icon)));
      el.appendChild(document.createTextNode(label));
    },
    setDisabled(disabled) {
      if (disabled) el.setAttribute('disabled', '');
      else el.removeAttribute('disabled');
    },
    setPressed(pressed) {
      if (pressed === null) el.removeAttribute('aria-pressed');
      else el.setAttribute('aria-pressed', String(pressed));
    },
  };
  handle.setLabel(options.label, options.icon);
  return handle;
}

/** A labelled text field that reports a committed value (Enter or leaving the field). */
export interface TextFieldHandle {
  el: HTMLElement;
  value: string;
  readonly focused: boolean;
  setLabel(label: string): void;
  setInvalid(message: string | null): void;
}

export function makeTextField(options: {
  label: string;
  value: string;
  size?: number;
  onCommit: (value: string) => void;
}): TextFieldHandle {
  type Field = HTMLElement & { value: string };
  const el = document.createElement('vscode-text-field') as Field;
  if (options.size) el.setAttribute('size', String(options.size));
  el.value = options.value;
  const label = document.createTextNode(options.label);
  el.appendChild(label);
  let committed = options.value;
  const commit = () => {
    if (el.value !== committed) {
      committed = el.value;
      options.onCommit(el.value);
    }
  };
  el.addEventListener('change', commit);
  el.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') {
      el.value = committed;
    }
  });
  return {
    el,
    get value() {
      return el.value;
    },
    set value(v: string) {
      committed = v;
      if (el.value !== v) el.value = v;
    },
    get focused() {
      return el.matches(':focus-within');
    },
    setLabel(text) {
      label.textContent = text;
    },
    setInvalid(message) {
      if (message === null) {
        el.removeAttribute('aria-invalid');
        el.removeAttribute('title');
      } else {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('title', message);
      }
    },
  };
}

/** A dropdown with a visible label. */
export interface DropdownHandle {
  el: HTMLElement;
  value: string;
  setLabels(label: string, optionLabels: Record<string, string>): void;
}

export function makeDropdown(options: {
  label: string;
  options: Array<{ value: string; label: string }>;
  value: string;
  onChange: (value: string) => void;
}): DropdownHandle {
  type Dropdown = HTMLElement & { value: string };
  const id = uid('dropdown');
  const labelEl = h('label', { className: 'control-label', attrs: { for: id, id: `${id}-label` }, text: options.label });
  const dd = document.createElement('vscode-dropdown') as Dropdown;
  setAttrs(dd, { id, 'aria-labelledby': `${id}-label` });
  const optionEls = new Map<string, HTMLElement>();
  for (const o of options.options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === options.value) opt.setAttribute('selected', '');
    optionEls.set(o.value, opt);
    dd.appendChild(opt);
  }
  let current = options.value;
  dd.addEventListener('change', () => {
    if (dd.value !== current) {
      current = dd.value;
      options.onChange(dd.value);
    }
  });
  const el = h('div', { className: 'control dropdown-control' }, labelEl, dd);
  return {
    el,
    get value() {
      return current;
    },
    set value(v: string) {
      current = v;
      if (dd.value !== v) dd.value = v;
    },
    setLabels(label, optionLabels) {
      labelEl.textContent = label;
      for (const [value, text] of Object.entries(optionLabels)) {
        const opt = optionEls.get(value);
        if (opt) opt.textContent = text;
      }
    },
  };
}

/** Tabs with a view each; `onChange` fires when the user switches. */
export interface TabsHandle<Id extends string> {
  el: HTMLElement;
  views: Record<Id, HTMLElement>;
  select(id: Id): void;
  /** Call when the tabs become visible (lays out the active-tab indicator). */
  refresh(): void;
  setLabel(id: Id, label: string): void;
}

export function makeTabs<Id extends string>(
  tabs: Array<{ id: Id; label: string }>,
  active: Id,
  onChange: (id: Id) => void,
): TabsHandle<Id> {
  type Panels = HTMLElement & { activeid: string };
  const panels = document.createElement('vscode-panels') as Panels;
  panels.setAttribute('activeid', `tab-${active}`);
  const tabEls = {} as Record<Id, HTMLElement>;
  const views = {} as Record<Id, HTMLElement>;
  for (const tab of tabs) {
    const tabEl = document.createElement('vscode-panel-tab');
    tabEl.id = `tab-${tab.id}`;
    tabEl.textContent = tab.label;
    tabEls[tab.id] = tabEl;
    panels.appendChild(tabEl);
  }
  for (const tab of tabs) {
    const view = document.createElement('vscode-panel-view');
    view.id = `view-${tab.id}`;
    const content = h('div', { className: `tab-content tab-${tab.id}` });
    view.appendChild(content);
    views[tab.id] = content;
    panels.appendChild(view);
  }
  let current = active;
  /**
   * FAST moves the active-tab underline with a transition that never ends when the tabs were laid out
   * while hidden (or with motion reduced), leaving it under the wrong tab: put it in place directly.
   */
  const placeIndicator = () => {
    const indicator = panels.shadowRoot?.querySelector<HTMLElement>('.activeIndicator');
    const index = tabs.findIndex((tab) => tab.id === current);
    if (!indicator || index < 0) return;
    indicator.classList.remove('activeIndicatorTransition');
    indicator.style.transform = 'translateX(0px)';
    indicator.style.gridColumn = String(index + 1);
  };
  const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  panels.addEventListener('change', (e: Event) => {
    if (e.target !== panels) return;
    const id = (panels.activeid ?? '').replace(/^tab-/, '') as Id;
    if (id && id !== current && id in views) {
      current = id;
      onChange(id);
    }
    if (reducedMotion()) requestAnimationFrame(placeIndicator);
  });
  return {
    el: panels,
    views,
    select(id) {
      current = id;
      panels.activeid = `tab-${id}`;
      requestAnimationFrame(placeIndicator);
    },
    refresh() {
      requestAnimationFrame(placeIndicator);
    },
    setLabel(id, label) {
      tabEls[id].textContent = label;
    },
  };
}
