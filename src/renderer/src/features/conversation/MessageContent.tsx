import type { CSSProperties, ReactNode } from 'react';
import { Anchor, Avatar, Box, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertTriangle,
  IconAd,
  IconBrandInstagram,
  IconCheck,
  IconExternalLink,
  IconFileText,
  IconHandClick,
  IconLink,
  IconMail,
  IconMapPin,
  IconMicrophone,
  IconMessageOff,
  IconMusic,
  IconPhone,
  IconPhoto,
  IconSticker,
  IconTemplate,
  IconVideo,
} from '@tabler/icons-react';
import type { Attachment, MessageContent as Content } from '../../../../shared/domain/model';
import { noteParts, type MentionCandidate } from '../../../../shared/notes/mentions';
import { CatalogCart } from './CatalogCart';
import { MessageMedia } from './MessageMedia';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import {
  formatCoordinates,
  linkify,
  mediaKindLabel,
  openStreetMapUrl,
  safeHttpUrl,
  TEMPLATE_CATEGORY_LABELS,
  type MediaContent,
} from './message-format';

/**
 * The body of one message bubble, one renderer per content type. Media show their file from the
 * hub (MessageMedia.tsx), never from the channel's own URLs.
 */

const TEXT_STYLE: CSSProperties = {
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
  fontSize: 'var(--mantine-font-size-sm)',
  lineHeight: 1.45,
};

const CARD_STYLE: CSSProperties = {
  border: '1px solid var(--mantine-color-default-border)',
  borderRadius: 'var(--mantine-radius-sm)',
  background: 'var(--mantine-color-body)',
  padding: '6px 8px',
  minWidth: 220,
};

const TAPPED_STYLE: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 6,
  border: '1px solid var(--mantine-color-blue-outline)',
  color: 'var(--mantine-color-blue-text)',
  borderRadius: 999,
  padding: '2px 12px 2px 8px',
  fontSize: 'var(--mantine-font-size-sm)',
  fontWeight: 500,
  background: 'var(--mantine-color-body)',
};

/** Text with line breaks kept and http(s) links opened outside the app. */
/** An internal note's text, each mentioned teammate's `@Name` marked. */
function NoteBody({
  text,
  mentions,
}: {
  readonly text: string;
  readonly mentions: readonly MentionCandidate[];
}) {
  return (
    <div style={TEXT_STYLE} data-testid="note-text">
      {noteParts(text, mentions).map((part, index) =>
        part.mentionId === null ? (
          part.text
        ) : (
          <span key={index} className="rd-note-mention" data-testid="note-mention">
            {part.text}
          </span>
        ),
      )}
    </div>
  );
}

export function RichText({ text }: { readonly text: string }) {
  return (
    <div style={TEXT_STYLE}>
      {linkify(text).map((segment, index) =>
        segment.kind === 'link' ? (
          <Anchor
            key={index}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer"
            inherit
            underline="always"
          >
            {segment.text}
          </Anchor>
        ) : (
          segment.text
        ),
      )}
    </div>
  );
}

const MEDIA_ICONS = {
  image: IconPhoto,
  video: IconVideo,
  document: IconFileText,
  sticker: IconSticker,
} as const;

function MediaCard({ content }: { readonly content: MediaContent }) {
  const { media } = content;
  const Icon =
    content.type === 'audio'
      ? media.voice
        ? IconMicrophone
        : IconMusic
      : MEDIA_ICONS[content.type];
  const kind = mediaKindLabel(content);
  return (
    <Stack gap={6}>
      <Group gap={8} wrap="nowrap" style={CARD_STYLE} data-testid="media-card">
        <ThemeIcon variant="light" color="gray" size={32} radius="sm">
          <Icon size={18} stroke={1.6} />
        </ThemeIcon>
        <Box miw={0}>
          <Text size="sm" fw={500} truncate="end" title={media.filename ?? kind}>
            {media.filename ?? kind}
          </Text>
          <Text size="xs" c="dimmed" truncate="end">
            {[media.filename ? kind : null, media.mimeType].filter(Boolean).join(' · ') ||
              'Media stored on the channel'}
          </Text>
        </Box>
      </Group>
      {media.caption ? <RichText text={media.caption} /> : null}
    </Stack>
  );
}

function LocationCard({ content }: { readonly content: Extract<Content, { type: 'location' }> }) {
  const link = content.url ? safeHttpUrl(content.url) : null;
  return (
    <Group gap={8} wrap="nowrap" align="flex-start" style={CARD_STYLE}>
      <ThemeIcon variant="light" color="red" size={32} radius="sm">
        <IconMapPin size={18} stroke={1.6} />
      </ThemeIcon>
      <Box miw={0}>
        <Text size="sm" fw={500}>
          {content.name ?? 'Location'}
        </Text>
        {content.address ? (
          <Text size="xs" c="dimmed">
            {content.address}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed" ff="monospace">
          {formatCoordinates(content.latitude, content.longitude)}
        </Text>
        <Group gap={10} mt={2}>
          <ExternalLink href={openStreetMapUrl(content.latitude, content.longitude)}>
            OpenStreetMap
          </ExternalLink>
          {link ? <ExternalLink href={link}>Shared link</ExternalLink> : null}
        </Group>
      </Box>
    </Group>
  );
}

function ExternalLink({ href, children }: { readonly href: string; readonly children: ReactNode }) {
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer" size="xs">
      <Group gap={3} wrap="nowrap" component="span" display="inline-flex">
        {children}
        <IconExternalLink size={12} />
      </Group>
    </Anchor>
  );
}

function ContactCards({ content }: { readonly content: Extract<Content, { type: 'contacts' }> }) {
  if (content.contacts.length === 0) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        An empty contact card
      </Text>
    );
  }
  return (
    <Stack gap={6}>
      {content.contacts.map((contact, index) => (
        <Group key={index} gap={8} wrap="nowrap" align="flex-start" style={CARD_STYLE}>
          <Avatar size={32} radius="xl" color="initials" name={contact.name} />
          <Box miw={0}>
            <Text size="sm" fw={500}>
              {contact.name}
            </Text>
            {contact.organization ? (
              <Text size="xs" c="dimmed">
                {contact.organization}
              </Text>
            ) : null}
            {contact.phones.map((phone) => (
              <Group key={phone} gap={4} wrap="nowrap">
                <IconPhone size={12} color="var(--mantine-color-dimmed)" />
                <Text size="xs" style={{ userSelect: 'all' }}>
                  {phone}
                </Text>
              </Group>
            ))}
            {contact.emails.map((email) => (
              <Group key={email} gap={4} wrap="nowrap">
                <IconMail size={12} color="var(--mantine-color-dimmed)" />
                <Anchor size="xs" href={`mailto:${email}`}>
                  {email}
                </Anchor>
              </Group>
            ))}
          </Box>
        </Group>
      ))}
    </Stack>
  );
}

function TappedButton({
  title,
  description,
  hint,
}: {
  readonly title: string;
  readonly description?: string;
  readonly hint: string;
}) {
  return (
    <Stack gap={2} align="flex-start">
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
      <span style={TAPPED_STYLE} data-testid="tapped-button">
        <IconHandClick size={14} stroke={1.8} />
        {title}
      </span>
      {description ? (
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * The reply buttons offered under an agent's text; the customer's tap is its own message, and
 * once there is one the button it chose is marked here (filled and ticked, the others muted).
 */
function ReplyButtonsList({
  buttons,
  chosenId,
}: {
  readonly buttons: readonly { readonly id: string; readonly title: string }[];
  readonly chosenId: string | null;
}) {
  const chosen = buttons.find((button) => button.id === chosenId);
  return (
    <div
      className="rd-reply-buttons"
      data-testid="reply-buttons-sent"
      data-answered={chosen ? true : undefined}
      aria-label={chosen ? `Reply buttons: the customer chose “${chosen.title}”` : 'Reply buttons'}
    >
      {buttons.map((button) => (
        <span
          key={button.id}
          className="rd-reply-button"
          data-testid="reply-button-sent"
          data-chosen={button.id === chosen?.id ? true : undefined}
          title={button.id === chosen?.id ? 'The customer chose this one' : undefined}
        >
          {button.id === chosen?.id ? <IconCheck size={12} stroke={2.4} aria-hidden /> : null}
          {button.title}
        </span>
      ))}
    </div>
  );
}

function TemplateBody({ content }: { readonly content: Extract<Content, { type: 'template' }> }) {
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap" c="dimmed">
        <IconTemplate size={13} />
        <Text size="xs" truncate="end" data-testid="template-marker">
          Template · {content.name} · {TEMPLATE_CATEGORY_LABELS[content.category]}
        </Text>
      </Group>
      <RichText text={content.renderedBody} />
    </Stack>
  );
}

function Unsupported({ type, channel }: { readonly type: string; readonly channel: ChannelKind }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <IconAlertTriangle size={16} color="var(--mantine-color-orange-text)" />
      <Box>
        <Text size="sm" fw={500}>
          Unsupported message ({type})
        </Text>
        <Text size="xs" c="dimmed">
          Replydesk cannot show this kind of message yet; see it in {CHANNEL_INFO[channel].label}.
        </Text>
      </Box>
    </Group>
  );
}

/** A shared link, post or reel: its title and the link, opened outside the app. */
function ShareCard({ content }: { readonly content: Extract<Content, { type: 'share' }> }) {
  const link = safeHttpUrl(content.url);
  return (
    <Group gap={8} wrap="nowrap" align="flex-start" style={CARD_STYLE} data-testid="share-card">
      <ThemeIcon variant="light" color="gray" size={32} radius="sm">
        <IconLink size={18} stroke={1.6} />
      </ThemeIcon>
      <Box miw={0}>
        <Text size="sm" fw={500} truncate="end">
          {content.title ?? 'Shared link'}
        </Text>
        {link ? <ExternalLink href={link}>Open the link</ExternalLink> : null}
      </Box>
    </Group>
  );
}

/** A story reply or mention: the story's link (it expires after 24 h), and the words with it. */
function StoryCard({ content }: { readonly content: Extract<Content, { type: 'story' }> }) {
  const link = content.url ? safeHttpUrl(content.url) : null;
  return (
    <Stack gap={4} data-testid="story-card">
      <Group gap={6} wrap="nowrap" c="dimmed">
        <IconBrandInstagram size={14} />
        <Text size="xs">
          {content.mention ? 'Mentioned you in their story' : 'Replied to your story'}
        </Text>
        {link ? <ExternalLink href={link}>View the story</ExternalLink> : null}
      </Group>
      {content.text ? <RichText text={content.text} /> : null}
      {link ? null : (
        <Text size="xs" c="dimmed">
          The story is no longer available.
        </Text>
      )}
    </Stack>
  );
}

/** How the customer arrived: an ad or a link, before they wrote anything. */
function ReferralLine({ content }: { readonly content: Extract<Content, { type: 'referral' }> }) {
  const from = content.source === 'ADS' ? 'an ad' : `a ${content.source.toLowerCase()} link`;
  return (
    <Group gap={6} wrap="nowrap" c="dimmed" data-testid="referral-line">
      <IconAd size={14} />
      <Text size="xs">
        Opened the conversation from {from}
        {content.adTitle ? ` · ${content.adTitle}` : ''}
        {content.ref ? ` · ref ${content.ref}` : ''}
      </Text>
    </Group>
  );
}

/** The body of a bubble for any content type (reactions are drawn on their target instead). */
export function MessageContent({
  content,
  channel,
  attachment = null,
  messageId = '',
  conversationId = null,
  mentionNames = [],
  chosenButtonId = null,
}: {
  readonly content: Content;
  /** A note's mentioned teammates with their names, to mark them in its text. */
  readonly mentionNames?: readonly MentionCandidate[];
  /** The reply button the customer chose under this text (`chosenButtons`), or null. */
  readonly chosenButtonId?: string | null;
  readonly channel: ChannelKind;
  /** Resolves a catalog order's products in the shops serving this conversation. */
  readonly conversationId?: string | null;
  /** The hub's copy of a media message's file; null from hubs that keep none. */
  readonly attachment?: Attachment | null;
  readonly messageId?: string;
}) {
  switch (content.type) {
    case 'text':
      return content.replyButtons?.length ? (
        <>
          <RichText text={content.body} />
          <ReplyButtonsList buttons={content.replyButtons} chosenId={chosenButtonId} />
        </>
      ) : (
        <RichText text={content.body} />
      );
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      // Hubs before issue #14 kept only the channel's media id: the file is named, not shown.
      return attachment === null ? (
        <MediaCard content={content} />
      ) : (
        <MessageMedia
          content={content}
          attachment={attachment}
          messageId={messageId}
          channel={channel}
        />
      );
    case 'location':
      return <LocationCard content={content} />;
    case 'contacts':
      return <ContactCards content={content} />;
    case 'interactive_reply':
      return (
        <TappedButton
          title={content.title}
          description={content.description}
          hint="Chose an option"
        />
      );
    case 'button_reply':
      return <TappedButton title={content.text} hint="Tapped a button" />;
    case 'reaction':
      return (
        <Text size="sm" c="dimmed">
          {content.emoji ? `Reacted ${content.emoji}` : 'Removed a reaction'}
        </Text>
      );
    case 'order':
      return <CatalogCart content={content} conversationId={conversationId} />;
    case 'template':
      return <TemplateBody content={content} />;
    case 'share':
      return <ShareCard content={content} />;
    case 'story':
      return <StoryCard content={content} />;
    case 'referral':
      return <ReferralLine content={content} />;
    case 'removed':
      return (
        <Group gap={6} wrap="nowrap" c="dimmed" data-testid="removed-message">
          <IconMessageOff size={14} />
          <Text size="sm" fs="italic">
            The customer removed this message.
          </Text>
        </Group>
      );
    case 'unsupported':
      return <Unsupported type={content.originalType} channel={channel} />;
    case 'note':
      return <NoteBody text={content.text} mentions={mentionNames} />;
  }
}
