import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { ActionIcon, Slider, Text } from '@mantine/core';
import {
  IconMicrophone,
  IconMusic,
  IconPlayerPauseFilled,
  IconPlayerPlayFilled,
} from '@tabler/icons-react';
import { formatDuration } from '../../format/files';

/**
 * A voice note or audio file played in its bubble: play / pause, a position slider, and its
 * length (then the time played) beside it, as messaging apps show them.
 */

const PLAYER_STYLE: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  gap: 10,
  minWidth: 240,
  maxWidth: 340,
};

export interface AudioPlayerProps {
  readonly url: string | null;
  readonly voice: boolean;
  /** The length when known before the file is read (seconds). */
  readonly duration?: number | null;
  /** Shown instead of the slider while the file is not there (downloading, failed). */
  readonly note?: string | null;
}

export function AudioPlayer({
  url,
  voice,
  duration: knownDuration = null,
  note,
}: AudioPlayerProps) {
  const audio = useRef<HTMLAudioElement | null>(null);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState<number | null>(knownDuration);

  useEffect(() => {
    const element = audio.current;
    return () => element?.pause();
  }, [url]);

  const toggle = () => {
    const element = audio.current;
    if (!element) return;
    if (element.paused) {
      void element.play().catch(() => setPlaying(false));
    } else {
      element.pause();
    }
  };

  const Icon = voice ? IconMicrophone : IconMusic;
  const length = duration !== null && Number.isFinite(duration) ? duration : null;
  return (
    <div style={PLAYER_STYLE} data-testid="audio-player" data-playing={playing || undefined}>
      <ActionIcon
        size={36}
        radius="xl"
        variant="filled"
        color={voice ? 'teal' : 'blue'}
        aria-label={playing ? 'Pause' : voice ? 'Play voice message' : 'Play audio'}
        disabled={url === null}
        onClick={toggle}
        data-testid="audio-play"
      >
        {playing ? <IconPlayerPauseFilled size={16} /> : <IconPlayerPlayFilled size={16} />}
      </ActionIcon>
      <div style={{ flex: 1, minWidth: 0 }}>
        {note ? (
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {note}
          </Text>
        ) : (
          <Slider
            size="xs"
            min={0}
            max={length ?? 1}
            step={0.1}
            value={Math.min(position, length ?? 1)}
            label={null}
            disabled={url === null || length === null}
            onChange={(value) => {
              if (audio.current) audio.current.currentTime = value;
              setPosition(value);
            }}
            aria-label="Position"
          />
        )}
        <Text
          size="xs"
          c="dimmed"
          mt={2}
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 4,
            fontVariantNumeric: 'tabular-nums',
          }}
        >
          <Icon size={12} />
          <span data-testid="audio-duration">
            {playing || position > 0
              ? `${formatDuration(position)} / ${formatDuration(length)}`
              : formatDuration(length)}
          </span>
        </Text>
      </div>
      {url !== null ? (
        <audio
          ref={audio}
          src={url}
          preload="metadata"
          onLoadedMetadata={(event) => setDuration(event.currentTarget.duration)}
          onDurationChange={(event) => setDuration(event.currentTarget.duration)}
          onTimeUpdate={(event) => setPosition(event.currentTarget.currentTime)}
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => {
            setPlaying(false);
            setPosition(0);
          }}
        />
      ) : null}
    </div>
  );
}
