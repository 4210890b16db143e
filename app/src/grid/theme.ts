import { AllCommunityModule, colorSchemeDark, ModuleRegistry, themeQuartz } from 'ag-grid-community';

let registered = false;

/** ag-grid 36 needs its modules registered once before the first grid renders. */
export function registerGridModules(): void {
  if (registered) return;
  ModuleRegistry.registerModules([AllCommunityModule]);
  registered = true;
}

/** Dense, dark, muted: the numbers are the point, not the chrome. Colours match styles.css. */
export const deskGridTheme = themeQuartz.withPart(colorSchemeDark).withParams({
  backgroundColor: '#11151b',
  foregroundColor: '#d3d9e1',
  chromeBackgroundColor: '#161b23',
  headerBackgroundColor: '#161b23',
  headerTextColor: '#8d97a5',
  borderColor: '#232a35',
  accentColor: '#4c8dff',
  oddRowBackgroundColor: '#131820',
  rowHoverColor: 'rgba(76, 141, 255, 0.08)',
  selectedRowBackgroundColor: 'rgba(76, 141, 255, 0.20)',
  fontFamily: ['Inter', 'Segoe UI', 'system-ui', 'sans-serif'],
  fontSize: 12,
  headerFontSize: 11,
  headerFontWeight: 600,
  rowHeight: 26,
  headerHeight: 28,
  spacing: 4,
  cellHorizontalPadding: 8,
  wrapperBorderRadius: 0,
  wrapperBorder: false,
  browserColorScheme: 'dark',
});
