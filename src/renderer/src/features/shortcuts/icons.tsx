import type { ComponentType } from 'react';
import {
  IconArrowDown,
  IconArrowUp,
  IconBolt,
  IconCircleCheck,
  IconCommand,
  IconInboxOff,
  IconKeyboard,
  IconLogout2,
  IconMessageReply,
  IconPackage,
  IconSettings,
  IconSunMoon,
  IconUser,
  IconUserCheck,
  IconUsers,
  IconZzz,
  type IconProps,
} from '@tabler/icons-react';
import type { ShortcutId } from './keymap';

/** One icon per action, shared by the palette and the help sheet. */
export const SHORTCUT_ICONS: Readonly<Record<ShortcutId, ComponentType<IconProps>>> = {
  nextConversation: IconArrowDown,
  previousConversation: IconArrowUp,
  goToMine: IconUser,
  goToUnassigned: IconInboxOff,
  goToAll: IconUsers,
  assignToMe: IconUserCheck,
  toggleResolved: IconCircleCheck,
  snooze: IconZzz,
  orderSearch: IconPackage,
  focusComposer: IconMessageReply,
  quickReplies: IconBolt,
  commandPalette: IconCommand,
  shortcutsHelp: IconKeyboard,
  settings: IconSettings,
  toggleColorScheme: IconSunMoon,
  leaveField: IconLogout2,
};
