/**
 * The always-visible header: what is being trained (file, samples, features → target), where the run
 * is (loss, epoch), the epoch scrubber with playback, and the run's settings.
 */
import type { DatasetInvalidMessage, EpochMessage, RunSettings, SetSettingRequest, TrainedMessage } from '../src/shared/protocol';
import { formatNumber } from '../src/engine/format';
import { h, setText, uid } from './dom';
import { t } from './i18n';
import { makeButton, makeDropdown, makeTextField, type ButtonHandle, type DropdownHandle, type TextFieldHandle } from './toolkit';
import { settingProblem, settingSource, settingText } from './viewText';

export interface HeaderActions {
  seek(epoch: number): void;
  playback(action: 'play' | 'pause' | 'step' | 'reset'): void;
  setSetting(key: SetSettingRequest['key'], value: string): void;
  /** Forget the settings changed in the panel. */
  resetSettings(): void;
}

type SettingKey = SetSettingRequest['key'];
type TextSettingKey = Exclude<SettingKey, 'reluGradAtZero' | 'scale'>;

export class Header {
  readonly el: HTMLElement;
  private readonly fileName = h('h1', { className: 'file-name' });
  private readonly meta = h('span', { className: 'meta' });
  private readonly lossValue = h('span', { className: 'stat-value' });
  private readonly epochValue = h('span', { className: 'stat-value' });
  private readonly activeValue = h('span', { className: 'stat-value' });
  private readonly scrubber: HTMLInputElement;
  private readonly play: ButtonHandle;
  private readonly step: ButtonHandle;
  private readonly reset: ButtonHandle;
  private readonly fields: Record<TextSettingKey, TextFieldHandle>;
  private readonly fieldNotes: Record<SettingKey, HTMLElement>;
  private readonly relu: DropdownHandle;
  private readonly scale: DropdownHandle;
  /** Shown while some setting comes from the panel: back to the file's and VS Code's settings. */
  private readonly resetSettings: ButtonHandle;
  /** The run's settings, below the header (they scroll away; the header stays). */
  readonly controls: HTMLElement;
  private entries = 0;
  /** Whether the run's columns were chosen in this panel (then "Use the file's settings" is offered too). */
  private columnsFromPanel = false;
  private samples = 0;
  private playing = false;
  /** The epoch last asked for by the scrubber, until the host shows it. */
  private pendingSeek: number | null = null;
  private pendingSince = 0;
  private seekFrame = 0;

  constructor(private readonly actions: HeaderActions) {
    const scrubId = uid('scrubber');
    this.scrubber = h('input', {
      className: 'scrubber',
      attrs: { type: 'range', min: '0', max: '0', step: '1', value: '0', id: scrubId, 'aria-label': t('Epoch') },
    });
    this.scrubber.addEventListener('input', () => this.onScrub());
    this.play = makeButton({
      label: t('Play'),
      icon: 'play',
      appearance: 'primary',
      onClick: () => actions.playback(this.playing ? 'pause' : 'play'),
    });
    this.step = makeButton({ label: t('Step'), icon: 'step', title: t('One epoch forward'), onClick: () => actions.playback('step') });
    this.reset = makeButton({ label: t('Reset'), icon: 'reset', title: t('Back to epoch 0'), onClick: () => actions.playback('reset') });

    const field = (key: TextSettingKey, label: string, size: number) =>
      makeTextField({ label, value: '', size, onCommit: (value) => this.commit(key, value) });
    this.fields = {
      learningRate: field('learningRate', t('Learning rate α'), 8),
      epochs: field('epochs', t('Epochs'), 7),
      initialization: field('initialization', t('Initialisation'), 12),
    };
    this.relu = makeDropdown({
      label: "ReLU'(0)",
      options: [
        { value: '1', label: t("1 (the document's rule)") },
        { value: '0', label: t('0 (PyTorch)') },
      ],
      value: '1',
      onChange: (value) => actions.setSetting('reluGradAtZero', value),
    });
    this.scale = makeDropdown({
      label: t('Feature scaling'),
      options: [
        { value: 'none', label: t('none (the numbers as in the file)') },
        { value: 'standard', label: t('standard: (x − μ)/σ') },
        { value: 'minmax', label: t('min–max: to [0, 1]') },
      ],
      value: 'none',
      onChange: (value) => actions.setSetting('scale', value),
    });
    this.resetSettings = makeButton({
      label: t("Use the file's settings"),
      icon: 'reset',
      title: t('Forget the settings changed in this panel: the file and VS Code settings apply again'),
      onClick: () => actions.resetSettings(),
    });
    this.resetSettings.el.hidden = true;
    this.fieldNotes = {
      learningRate: h('span', { className: 'field-note' }),
      epochs: h('span', { className: 'field-note' }),
      initialization: h('span', { className: 'field-note' }),
      reluGradAtZero: h('span', { className: 'field-note' }),
      scale: h('span', { className: 'field-note' }),
    };
    const setting = (control: HTMLElement, key: SettingKey) => h('div', { className: 'setting' }, control, this.fieldNotes[key]);

    const stat = (label: string, value: HTMLElement) =>
      h('span', { className: 'stat' }, h('span', { className: 'stat-label', text: label }), value);
    const scrubLabel = h('label', { className: 'scrub-label', attrs: { for: scrubId }, text: t('Epoch') });
    this.controls = h(
      'div',
      { className: 'settings', attrs: { role: 'group', 'aria-label': t('Training settings') } },
      setting(this.fields.learningRate.el, 'learningRate'),
      setting(this.fields.epochs.el, 'epochs'),
      setting(this.fields.initialization.el, 'initialization'),
      setting(this.relu.el, 'reluGradAtZero'),
      setting(this.scale.el, 'scale'),
      this.resetSettings.el,
    );
    this.el = h(
      'header',
      { className: 'app-header' },
      h(
        'div',
        { className: 'title-row' },
        h('div', { className: 'title' }, this.fileName, this.meta),
        h(
          'div',
          { className: 'stats' },
          stat(t('Loss l'), this.lossValue),
          stat(t('Epoch'), this.epochValue),
          stat(t('Active'), this.activeValue),
        ),
      ),
      h(
        'div',
        { className: 'playback-row' },
        h(
          'div',
          { className: 'playback', attrs: { role: 'group', 'aria-label': t('Playback') } },
          this.reset.el,
          this.play.el,
          this.step.el,
        ),
        h('div', { className: 'scrub' }, scrubLabel, this.scrubber),
      ),
    );
    this.setRunEnabled(false);
  }

  private onScrub(): void {
    const epoch = Number(this.scrubber.value);
    this.pendingSeek = epoch;
    this.pendingSince = Date.now();
    this.describeScrubber(epoch);
    // At most one seek per frame while dragging.
    if (this.seekFrame) return;
    this.seekFrame = requestAnimationFrame(() => {
      this.seekFrame = 0;
      if (this.pendingSeek !== null) this.actions.seek(this.pendingSeek);
    });
  }

  private describeScrubber(epoch: number): void {
    const last = Math.max(0, this.entries - 1);
    this.scrubber.setAttribute('aria-valuetext', t('Epoch {0} of {1}', epoch, last));
    setText(this.epochValue, `${epoch} / ${last}`);
  }

  private commit(key: SettingKey, value: string): void {
    const problem = settingProblem(key, value);
    setText(this.fieldNotes[key], problem ?? '');
    this.fieldNotes[key].classList.toggle('error', problem !== null);
    if (key !== 'reluGradAtZero' && key !== 'scale') this.fields[key].setInvalid(problem);
    this.actions.setSetting(key, value);
  }

  private setRunEnabled(enabled: boolean): void {
    this.scrubber.disabled = !enabled;
    for (const b of [this.play, this.step, this.reset]) b.setDisabled(!enabled);
  }

  /** A run arrived: what it is trained on, its length and its settings. */
  showTrained(msg: TrainedMessage): void {
    this.columnsFromPanel = (msg.columns?.fromPanel.length ?? 0) > 0;
    setText(this.fileName, msg.fileName);
    this.fileName.title = msg.fileName;
    const features = msg.features.join(', ');
    setText(this.meta, `${t('{0, plural, one {# sample} other {# samples}}', msg.samples)} · ${features} → ${msg.target}`);
    this.entries = msg.entries;
    this.samples = msg.samples;
    this.scrubber.max = String(Math.max(0, msg.entries - 1));
    this.setRunEnabled(msg.entries > 0);
    this.showSettings(msg.settings);
  }

  /** The file has no usable rows: keep the name, clear the run. */
  showInvalid(msg: DatasetInvalidMessage): void {
    setText(this.fileName, msg.fileName || t('ReLU Neuron Explorer'));
    setText(this.meta, msg.fileName ? t('no usable rows') : '');
    setText(this.lossValue, '—');
    setText(this.epochValue, '—');
    setText(this.activeValue, '—');
    this.entries = 0;
    this.setRunEnabled(false);
  }

  private showSettings(settings: RunSettings): void {
    for (const key of ['learningRate', 'epochs', 'initialization'] as const) {
      const f = this.fields[key];
      // Do not overwrite what the student is typing.
      if (!f.focused) {
        f.value = settingText(settings, key);
        f.setInvalid(null);
        this.noteFromFile(key, settings);
      } else if (!this.fieldNotes[key].classList.contains('error')) {
        // Still in the field after Enter: its note says where the committed value comes from now.
        this.noteFromFile(key, settings);
      }
    }
    this.relu.value = String(settings.reluGradAtZero);
    this.noteFromFile('reluGradAtZero', settings);
    this.scale.value = settings.scale;
    this.noteFromFile('scale', settings);
    this.resetSettings.el.hidden = settings.fromPanel.length === 0 && !this.columnsFromPanel;
  }

  private noteFromFile(key: SettingKey, settings: RunSettings): void {
    const note = this.fieldNotes[key];
    note.classList.remove('error');
    setText(note, settingSource(settings, key));
  }

  /** The epoch on display. */
  showEpoch(msg: EpochMessage): void {
    this.playing = msg.playing;
    this.play.setLabel(msg.playing ? t('Pause') : t('Play'), msg.playing ? 'pause' : 'play');
    this.play.setPressed(msg.playing);
    setText(this.lossValue, formatNumber(msg.loss));
    setText(this.activeValue, `${msg.active} / ${this.samples}`);
    if (this.pendingSeek !== null && (msg.epoch === this.pendingSeek || Date.now() - this.pendingSince > 1500 || msg.playing))
      this.pendingSeek = null;
    if (this.pendingSeek === null) {
      if (this.scrubber.value !== String(msg.epoch)) this.scrubber.value = String(msg.epoch);
      this.describeScrubber(msg.epoch);
    }
  }
}
