/** Reference data: Primero metadata -> data_dictionary and locations_lookup, and loading them back for the mapping. */
export { refreshDataDictionary, refreshLocations, refreshReferenceData, type DictionaryRefresh, type LocationsRefresh, type RefreshOptions } from './refresh.ts';
export { loadLabels, loadLocations, type DistrictInfo, type LabelMap, type Labels, type OptionLabel } from './load.ts';
export { primeroReferenceSource, staticReferenceSource, ReferenceShapeError, type PagedPrimeroClient, type ReferenceSource } from './source.ts';
export { buildDictionary, type DictionaryRow, type PrimeroMetadata } from './dictionary.ts';
export { buildLocationRows, isDistrictCode, provinceCodeOfDistrict, type LocationRow } from './locations.ts';
export { bundledLabels, BUNDLED_LABELS_PATH, type BundledLabels } from './bundled.ts';
