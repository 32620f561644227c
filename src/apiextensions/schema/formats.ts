/**
 * @module apiextensions/schema/formats
 *
 * The string formats a CRD schema's `format` is checked against (upstream keeps only these, see
 * StripUnsupportedFormatsPostProcess in pkg/apiserver/validation/formats.go; every other format,
 * e.g. int32 or int64, is not validated). Checks follow kube-openapi's strfmt.Default.
 */

const RE = {
  uuid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  uuid3: /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  uuid4: /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i,
  uuid5: /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i,
  hostname:
    /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u,
  email: /^[^\s@]+@[^\s@]+$/,
  mac: /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/,
  hexcolor: /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  rgbcolor: /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/,
  bsonobjectid: /^[0-9a-fA-F]{24}$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  dateTime:
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/,
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w)\s*)+$/,
  base64: /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  ssn: /^\d{3}[- ]?\d{2}[- ]?\d{4}$/,
};

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return false;
  let groups = s.split(':');
  const last = groups[groups.length - 1];
  let extra = 0;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  const compressed = s.includes('::');
  const filled = groups.filter((g) => g !== '');
  if (!filled.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return compressed ? filled.length + extra < 8 : filled.length + extra === 8;
}

function isCIDR(s: string): boolean {
  const i = s.lastIndexOf('/');
  if (i < 0) return false;
  const ip = s.slice(0, i);
  const bits = s.slice(i + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function isURI(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

const checks: Record<string, (s: string) => boolean> = {
  uuid: (s) => RE.uuid.test(s),
  uuid3: (s) => RE.uuid3.test(s),
  uuid4: (s) => RE.uuid4.test(s),
  uuid5: (s) => RE.uuid5.test(s),
  hostname: (s) => s.length <= 255 && RE.hostname.test(s),
  email: (s) => RE.email.test(s),
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCIDR,
  mac: (s) => RE.mac.test(s),
  hexcolor: (s) => RE.hexcolor.test(s),
  rgbcolor: (s) => RE.rgbcolor.test(s),
  bsonobjectid: (s) => RE.bsonobjectid.test(s),
  date: (s) => RE.date.test(s),
  'date-time': (s) => RE.dateTime.test(s),
  datetime: (s) => RE.dateTime.test(s),
  duration: (s) => RE.duration.test(s),
  byte: (s) => RE.base64.test(s),
  uri: isURI,
  ssn: (s) => RE.ssn.test(s),
  password: () => true,
  isbn: (s) => /^(\d{9}[\dXx]|\d{13})$/.test(s.replace(/[- ]/g, '')),
  isbn10: (s) => /^\d{9}[\dXx]$/.test(s.replace(/[- ]/g, '')),
  isbn13: (s) => /^\d{13}$/.test(s.replace(/[- ]/g, '')),
  creditcard: (s) => /^\d{12,19}$/.test(s.replace(/[- ]/g, '')),
};

/** Whether `format` is one upstream validates. */
export function isSupportedFormat(format: string): boolean {
  return format in checks;
}

/** False when `value` does not match a supported `format`; true for unsupported formats. */
export function matchesFormat(format: string, value: string): boolean {
  const check = checks[format];
  return check ? check(value) : true;
}
