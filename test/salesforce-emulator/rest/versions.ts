/** API versions the emulator serves, with their real release labels. */
export const API_VERSIONS: readonly { version: string; label: string }[] = [
  { version: '59.0', label: "Winter '24" },
  { version: '60.0', label: "Spring '24" },
  { version: '61.0', label: "Summer '24" },
  { version: '62.0', label: "Winter '25" },
  { version: '63.0', label: "Spring '25" },
  { version: '64.0', label: "Summer '25" },
  { version: '65.0', label: "Winter '26" },
  { version: '66.0', label: "Spring '26" },
];

export const SUPPORTED_VERSIONS = new Set(API_VERSIONS.map((v) => v.version));

export function versionList(): { version: string; url: string; label: string }[] {
  return API_VERSIONS.map((v) => ({ version: v.version, url: `/services/data/v${v.version}`, label: v.label }));
}
