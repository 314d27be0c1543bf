/** Each bad specification of test/fixtures/shared/specs/bad/ and the field its refusal must name. */
export const BAD_SPEC_FIELDS: Record<string, string> = {
  'bad-action-name.json': 'actions[0].name',
  'bad-version.json': 'version',
  'duplicate-actions.json': 'actions[1].name',
  'missing-description.json': 'description',
  'shell-name.json': 'name',
  'traversal-name.json': 'name',
};
