/**
 * Settings at the edge: fetched through `workspace/configuration` when the
 * client supports it, else taken from `initializationOptions`, else defaults.
 * Validation and last-good-value logic live in the core (core/settings.ts).
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../core/settings';

export class SettingsStore {
  current: Settings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
    initializationOptions: unknown,
  ) {
    const init = initializationOptions && typeof initializationOptions === 'object' ? (initializationOptions as Record<string, unknown>) : undefined;
    const raw = init?.settings ?? init?.corroborate ?? init;
    if (raw) this.apply(raw);
  }

  /** Re-reads the settings; returns the problems (rejected values) to show once. */
  async refresh(pushed?: unknown): Promise<string[]> {
    if (this.canPull) {
      try {
        const [raw] = await this.connection.workspace.getConfiguration([{ section: 'corroborate' }]);
        return this.apply(raw);
      } catch (e) {
        this.connection.console.warn(`Could not read settings: ${e instanceof Error ? e.message : e}`);
        return [];
      }
    }
    const raw = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>).corroborate ?? pushed : undefined;
    return raw ? this.apply(raw) : [];
  }

  private apply(raw: unknown): string[] {
    // The client sends defaults for missing keys; a wrong value keeps the last good one.
    const { settings, problems } = readSettings(raw, this.current);
    this.current = settings;
    return problems;
  }
}
