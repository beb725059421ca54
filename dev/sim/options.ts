/**
 * Option codes the generator draws from. Protection concerns, service types,
 * disability types and sex come from the deployment's bundled tables
 * (db/reference/option-labels.json); the Cambodia-only selects (`type_of_case`,
 * `type_of_placement`) carry the UI form builder's numeric suffixes.
 */
import optionLabels from '../../db/reference/option-labels.json' with { type: 'json' };

export type OptionTable = Readonly<Record<string, string>>;
export const OPTION_LABELS: Readonly<Record<'protection_concerns' | 'service_type' | 'disability_type' | 'sex', OptionTable>> =
  optionLabels;

export const REINTEGRATION = 'children_undergoing_reintegration_55427';

export const TYPE_OF_CASE: OptionTable = {
  [REINTEGRATION]: 'Children undergoing reintegration',
  children_in_residential_care_30617: 'Children in residential care',
  children_at_risk_of_separation_81124: 'Children at risk of separation',
  children_in_community_based_care_71908: 'Children in community-based care',
  children_in_conflict_with_the_law_12650: 'Children in conflict with the law',
  other_child_protection_case_40332: 'Other child protection case',
};

export const TYPE_OF_PLACEMENT: OptionTable = {
  kinship_care_68134: 'Kinship care',
  foster_care_23756: 'Foster care',
  family_reunification_51890: 'Family reunification',
  community_based_care_40217: 'Community-based care',
  independent_living_77321: 'Independent living',
  residential_care_60552: 'Residential care',
};

export const SERVICE_RESPONSE_TYPE: OptionTable = {
  care_plan: 'Care plan',
  action_plan: 'Action plan',
  service_provision: 'Service provision',
  referral_to_oscar: 'Referral to OSCaR',
};

/** lookup-case-status: Primero's statuses (§3), `duplicate` included. */
export const CASE_STATUS: OptionTable = { open: 'Open', closed: 'Closed', transferred: 'Transferred', duplicate: 'Duplicate' };
export const YES_NO: OptionTable = { true: 'Yes', false: 'No' };

/** A service type the deployment's table does not know: the sync must not silently blank it. */
export const UNKNOWN_SERVICE_TYPE = 'psychosocial_support_83021';
