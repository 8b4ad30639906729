import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
  type FieldExtensionOptions,
} from '@backstage/plugin-scaffolder-react';
import { renderInTestApp } from '@backstage/test-utils';
import { MlopsServingPlanFieldExtension } from '../plugin';
import { ServingPlanField } from './ServingPlanField';
import { validateServingPlan } from './validateServingPlan';

// The new frontend system's registration (FormFieldBlueprint) is exercised by the Chromium e2e test.
it('is collected from the legacy scaffolder route with its component and validation', async () => {
  let collected: FieldExtensionOptions[] = [];
  const outlet = (
    <ScaffolderFieldExtensions>
      <MlopsServingPlanFieldExtension />
    </ScaffolderFieldExtensions>
  );
  const Probe = () => {
    collected = useCustomFieldExtensions(outlet);
    return null;
  };
  await renderInTestApp(<Probe />);
  expect(collected).toEqual([
    expect.objectContaining({
      name: 'MlopsServingPlan',
      component: ServingPlanField,
      validation: validateServingPlan,
    }),
  ]);
});
