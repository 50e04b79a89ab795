import { useCallback } from 'react';
import { useComputedColorScheme, useMantineColorScheme } from '@mantine/core';

/**
 * Switch between light and dark from what is on screen now (`auto` resolved through the
 * system), for the dark-mode shortcut. With `preferencesColorSchemeManager` on the provider,
 * the choice lands in the preferences like the settings' own control.
 */
export function useToggleColorScheme(): () => void {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  return useCallback(
    () => setColorScheme(computed === 'dark' ? 'light' : 'dark'),
    [computed, setColorScheme],
  );
}
