/**
 * The Cambodia location tree the simulator serves. Provinces are the 25 real
 * ones with their official codes (1-25, no leading zero, as Primero Cambodia
 * stores them); Kratie's districts are real; the rest of the tree is synthetic
 * but shaped like the real one: district = province + 2 digits, commune +2,
 * village +2. The tree is fixed (its own seed), whatever the case seed is.
 */
import { createRng } from './prng.ts';

export interface SimLocation {
  /** Integer DB id (Primero's `locations.id`). */
  id: number;
  code: string;
  type: 'province' | 'district' | 'commune' | 'village';
  /** depth - 1, as Location#admin_level_from_hierarchy computes it; provinces are roots. */
  admin_level: number;
  disabled: boolean;
  placename: { en: string; km: string };
  /** Full "Province::District::…" name, as name_i18n. */
  name: { en: string; km: string };
  /** Codes root -> self, self included. */
  hierarchy: string[];
}

export const PROVINCES: ReadonlyArray<readonly [code: number, en: string, km: string]> = [
  [1, 'Banteay Meanchey', 'បន្ទាយមានជ័យ'],
  [2, 'Battambang', 'បាត់ដំបង'],
  [3, 'Kampong Cham', 'កំពង់ចាម'],
  [4, 'Kampong Chhnang', 'កំពង់ឆ្នាំង'],
  [5, 'Kampong Speu', 'កំពង់ស្ពឺ'],
  [6, 'Kampong Thom', 'កំពង់ធំ'],
  [7, 'Kampot', 'កំពត'],
  [8, 'Kandal', 'កណ្ដាល'],
  [9, 'Koh Kong', 'កោះកុង'],
  [10, 'Kratie', 'ក្រចេះ'],
  [11, 'Mondul Kiri', 'មណ្ឌលគិរី'],
  [12, 'Phnom Penh', 'ភ្នំពេញ'],
  [13, 'Preah Vihear', 'ព្រះវិហារ'],
  [14, 'Prey Veng', 'ព្រៃវែង'],
  [15, 'Pursat', 'ពោធិ៍សាត់'],
  [16, 'Ratanak Kiri', 'រតនគិរី'],
  [17, 'Siem Reap', 'សៀមរាប'],
  [18, 'Preah Sihanouk', 'ព្រះសីហនុ'],
  [19, 'Stung Treng', 'ស្ទឹងត្រែង'],
  [20, 'Svay Rieng', 'ស្វាយរៀង'],
  [21, 'Takeo', 'តាកែវ'],
  [22, 'Oddar Meanchey', 'ឧត្ដរមានជ័យ'],
  [23, 'Kep', 'កែប'],
  [24, 'Pailin', 'ប៉ៃលិន'],
  [25, 'Tboung Khmum', 'ត្បូងឃ្មុំ'],
];

/** Kratie's real districts: the ONA mapping's worked example is village 10060802 in Chetr Borei (1006). */
const KRATIE_DISTRICTS: ReadonlyArray<readonly [string, string]> = [
  ['Chhloung', 'ឆ្លូង'],
  ['Krong Kracheh', 'ក្រុងក្រចេះ'],
  ['Preaek Prasab', 'ព្រែកប្រសព្វ'],
  ['Sambour', 'សំបូរ'],
  ['Snuol', 'ស្នួល'],
  ['Chetr Borei', 'ចិត្របុរី'],
  ['Ou Krieng Saenchey', 'អូរគ្រៀងសែនជ័យ'],
];

// Romanised place-name syllables with their Khmer spelling, so synthetic names read alike in both languages.
const SYLLABLES: ReadonlyArray<readonly [string, string]> = [
  ['Kampong', 'កំពង់'], ['Prek', 'ព្រែក'], ['Chrey', 'ជ្រៃ'], ['Svay', 'ស្វាយ'], ['Thma', 'ថ្ម'],
  ['Kouk', 'គោក'], ['Trapeang', 'ត្រពាំង'], ['Boeng', 'បឹង'], ['Phnum', 'ភ្នំ'], ['Tuol', 'ទួល'],
  ['Veal', 'វាល'], ['Sla', 'ស្លា'], ['Russei', 'ឫស្សី'], ['Srae', 'ស្រែ'], ['Samraong', 'សំរោង'],
  ['Chamkar', 'ចំការ'], ['Roka', 'រកា'], ['Trach', 'ត្រាច'], ['Angk', 'អង្គ'], ['Ta', 'តា'],
];
const SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['Thmei', 'ថ្មី'], ['Chas', 'ចាស់'], ['Leu', 'លើ'], ['Kraom', 'ក្រោម'], ['Kandal', 'កណ្ដាល'],
  ['Krahom', 'ក្រហម'], ['Khpos', 'ខ្ពស់'], ['Thom', 'ធំ'], ['Touch', 'តូច'], ['Meas', 'មាស'],
];

export interface LocationTree {
  all: SimLocation[];
  byCode: Map<string, SimLocation>;
  /** Codes of every node by level, for the generator. */
  provinces: SimLocation[];
  districts: SimLocation[];
  communes: SimLocation[];
  villages: SimLocation[];
}

let cached: LocationTree | undefined;

/** The fixed tree (built once per process: about 7 000 nodes). */
export function locationTree(): LocationTree {
  if (cached) return cached;
  const rng = createRng('cambodia-locations-v1');
  const all: SimLocation[] = [];
  const tree: LocationTree = { all, byCode: new Map(), provinces: [], districts: [], communes: [], villages: [] };
  const add = (loc: Omit<SimLocation, 'id'>, bucket: SimLocation[]) => {
    const full = { id: all.length + 1, ...loc };
    all.push(full);
    bucket.push(full);
    tree.byCode.set(full.code, full);
    return full;
  };
  const child = (
    parent: SimLocation,
    code: string,
    type: SimLocation['type'],
    place: { en: string; km: string },
    bucket: SimLocation[],
  ) =>
    add(
      {
        code,
        type,
        admin_level: parent.admin_level + 1,
        disabled: false,
        placename: place,
        name: { en: `${parent.name.en}::${place.en}`, km: `${parent.name.km}::${place.km}` },
        hierarchy: [...parent.hierarchy, code],
      },
      bucket,
    );
  const synthName = () => {
    const a = rng.pick(SYLLABLES), b = rng.pick(rng.chance(0.5) ? SYLLABLES : SUFFIXES);
    return { en: `${a[0]} ${b[0]}`, km: `${a[1]}${b[1]}` };
  };
  const two = (n: number) => String(n).padStart(2, '0');
  for (const [p, en, km] of PROVINCES) {
    const province = add(
      { code: String(p), type: 'province', admin_level: 0, disabled: false, placename: { en, km }, name: { en, km }, hierarchy: [String(p)] },
      tree.provinces,
    );
    const districtNames = p === 10 ? KRATIE_DISTRICTS.map(([e, k]) => ({ en: e, km: k })) : Array.from({ length: rng.int(3, 9) }, synthName);
    districtNames.forEach((dn, di) => {
      const district = child(province, `${p}${two(di + 1)}`, 'district', dn, tree.districts);
      const communes = rng.int(2, 7);
      for (let ci = 1; ci <= communes; ci++) {
        const commune = child(district, `${district.code}${two(ci)}`, 'commune', synthName(), tree.communes);
        const villages = rng.int(2, 9);
        for (let vi = 1; vi <= villages; vi++) child(commune, `${commune.code}${two(vi)}`, 'village', synthName(), tree.villages);
      }
    });
  }
  // Chetr Borei must contain the mapping's example village 10060802.
  cached = tree;
  ensureExampleVillage(tree, child);
  return tree;
}

function ensureExampleVillage(
  tree: LocationTree,
  child: (p: SimLocation, code: string, type: SimLocation['type'], place: { en: string; km: string }, bucket: SimLocation[]) => SimLocation,
) {
  const district = tree.byCode.get('1006');
  if (!district) throw new Error('location tree lacks district 1006');
  let commune = tree.byCode.get('100608');
  for (let ci = 1; !commune; ci++) {
    const code = `1006${String(ci).padStart(2, '0')}`;
    if (ci === 8 || !tree.byCode.has(code)) {
      if (!tree.byCode.has(code)) child(district, code, 'commune', { en: 'Kantuot', km: 'កន្ទួត' }, tree.communes);
      if (ci === 8) commune = tree.byCode.get(code);
    }
  }
  if (!tree.byCode.has('10060802')) child(commune, '10060802', 'village', { en: 'Kbal Chuor', km: 'ក្បាលជួរ' }, tree.villages);
  if (!tree.byCode.has('10060801')) child(commune, '10060801', 'village', { en: 'Thma Kre', km: 'ថ្មគ្រែ' }, tree.villages);
}

/** Codes of `code` and all its ancestors, or undefined for a code not in the tree. */
export function ancestorsOf(code: string): readonly string[] | undefined {
  return locationTree().byCode.get(code)?.hierarchy;
}
