import {
  cloneElement,
  isValidElement,
  useState,
  type PointerEvent,
  type ReactElement,
} from 'react';
import { Tooltip, type TooltipProps } from '@mantine/core';

type HoverTarget = ReactElement<{ onPointerEnter?: (event: PointerEvent<HTMLElement>) => void }>;

/**
 * A Mantine tooltip that costs nothing until the pointer first comes over its target. A Tooltip
 * runs its floating-position and interaction hooks from its first render: dozens of them in the
 * rows of a list (time, assignee, status, timer) took about 90 ms of the inbox's first render
 * on the 2-core machine, and more with every row scrolled into view. Here the target renders
 * alone; the pointer entering it mounts the real Tooltip, which opens after its delay as the
 * pointer moves on it.
 */
export function LazyTooltip({ children, ...props }: TooltipProps & { children: HoverTarget }) {
  const [armed, setArmed] = useState(false);
  if (armed || !isValidElement(children)) return <Tooltip {...props}>{children}</Tooltip>;
  const own = children.props.onPointerEnter;
  return cloneElement(children, {
    onPointerEnter: (event: PointerEvent<HTMLElement>) => {
      own?.(event);
      setArmed(true);
    },
  });
}
