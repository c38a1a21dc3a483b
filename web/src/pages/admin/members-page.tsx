import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, CopyButton, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { ROLES, useCan, useSession } from '../../auth/auth-context';
import { FormAlert, PageHeader, QueryState, Section } from '../../components/page';
import {
  WebAdminChangeMemberRoleDocument,
  WebAdminInviteMemberDocument,
  WebAdminMembersDocument,
  WebAdminPendingInvitationsDocument,
  WebAdminRemoveMemberDocument,
  type AdminMemberFragment,
  type Role,
} from '../../generated/graphql';
import { errorMessage, showServerErrors } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';
import { validEmail } from '../auth/validation';
import { ConfirmModal, DataTable, grantableRoles, MODAL_PROPS, READABLE_ALERT, ROLE_LABELS, StatusMessage, When } from './common';

/**
 * The organization's members, for everyone; OWNER and ADMIN also invite people (the link is shown here, as there is
 * no mail server outside production), see pending invitations, change roles and remove members. Only an OWNER is
 * offered what touches the OWNER role, and nobody is offered to change or remove themselves.
 */
export function MembersPage() {
  const session = useSession();
  const isAdmin = useCan(ROLES.admins);
  const isOwner = session.role === 'OWNER';
  const { data, loading, error, refetch } = useQuery(WebAdminMembersDocument);
  const [changing, setChanging] = useState<AdminMemberFragment | null>(null);
  const [removing, setRemoving] = useState<AdminMemberFragment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const members = data?.organization.members ?? [];

  const changed = (message: string) => {
    setDone(message);
    void refetch();
  };

  // OWNER is managed by owners only; the caller's own row is never editable here.
  const manageable = (member: AdminMemberFragment) => member.user.id !== session.user.id && (member.role === 'OWNER' ? isOwner : isAdmin);

  return (
    <>
      <PageHeader
        title="Members"
        description={isAdmin ? `The people of ${session.organization.name} and what their role lets them do.` : `The people of ${session.organization.name}.`}
      />
      <Stack gap="xl">
        {isAdmin ? <InviteSection isOwner={isOwner} /> : null}
        <Section title="Current members">
          <StatusMessage message={done} />
          <QueryState loading={loading && !data} error={error} empty={members.length === 0} emptyText="No members." retry={() => void refetch()}>
            <DataTable label="Current members" minWidth={isAdmin ? 720 : 520}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Joined</Table.Th>
                  {isAdmin ? <Table.Th>Actions</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.map((member) => (
                  <Table.Tr key={member.user.id} data-testid="member-row">
                    <Table.Td>
                      {member.user.name}
                      {member.user.id === session.user.id ? (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          (you)
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{member.user.email}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={member.role === 'OWNER' || member.role === 'ADMIN' ? 'grape' : 'blue'} data-testid="member-role">
                        {ROLE_LABELS[member.role]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <When value={member.joinedAt} dateOnly />
                    </Table.Td>
                    {isAdmin ? (
                      <Table.Td>
                        {manageable(member) ? (
                          <Group gap="xs" wrap="nowrap">
                            <Button size="xs" variant="default" aria-label={`Change role of ${member.user.name}`} onClick={() => setChanging(member)}>
                              Change role
                            </Button>
                            <Button size="xs" variant="default" c="red.8" aria-label={`Remove ${member.user.name}`} onClick={() => setRemoving(member)}>
                              Remove
                            </Button>
                          </Group>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </DataTable>
          </QueryState>
        </Section>
        {isAdmin ? <PendingInvitationsSection /> : null}
      </Stack>
      {isAdmin ? (
        <>
          <ChangeRoleModal member={changing} isOwner={isOwner} onClose={() => setChanging(null)} onChanged={changed} />
          <RemoveMemberModal member={removing} organization={session.organization.name} onClose={() => setRemoving(null)} onRemoved={changed} />
        </>
      ) : null}
    </>
  );
}

interface CreatedInvitation {
  email: string;
  role: Role;
  expiresAt: string;
  link: string | null;
}

function InviteSection({ isOwner }: { isOwner: boolean }) {
  const [mutate, { loading }] = useMutation(WebAdminInviteMemberDocument, { refetchQueries: [WebAdminPendingInvitationsDocument] });
  const [general, setGeneral] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);
  const roles = grantableRoles(isOwner);
  const form = useForm({
    initialValues: { email: '', role: 'VIEWER' as Role },
    validate: {
      email: validEmail,
      role: (value) => (roles.some((r) => r.value === value) ? null : 'Choose a role you may grant.'),
    },
  });

  useEffect(() => {
    // The link is what the admin came for: put the focus (and the selection, ready to copy) on it.
    if (created?.link) linkInput.current?.select();
  }, [created]);

  const submit = form.onSubmit((values) =>
    userAction('invite member', async () => {
      setGeneral(null);
      try {
        const result = await mutate({ variables: { input: { email: values.email.trim(), role: values.role } } });
        if (!result.data) return;
        const { invitation, token } = result.data.inviteMember;
        setCreated({
          email: invitation.email,
          role: invitation.role,
          expiresAt: invitation.expiresAt,
          link: token ? `${window.location.origin}/accept-invitation?token=${encodeURIComponent(token)}` : null,
        });
        form.setFieldValue('email', '');
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );

  return (
    <Section title="Invite a member">
      <Stack>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FormAlert message={general} />
            <Group align="flex-start" gap="sm" wrap="wrap">
              <TextInput label="Email" type="email" autoComplete="off" required style={{ flex: '1 1 16rem' }} {...form.getInputProps('email')} />
              <NativeSelect label="Role" data={roles} required style={{ flex: '0 1 12rem' }} {...form.getInputProps('role')} />
            </Group>
            <Group>
              <Button type="submit" loading={loading}>
                Invite member
              </Button>
            </Group>
          </Stack>
        </form>
        {created ? (
          <Alert color="green" title={`Invitation created for ${created.email} (${ROLE_LABELS[created.role]})`} withCloseButton closeButtonLabel="Dismiss" onClose={() => setCreated(null)} styles={READABLE_ALERT}>
            {created.link ? (
              <Stack gap="xs">
                <Text size="sm">
                  There is no mail server here: send this link to the person yourself. It works once, until <When value={created.expiresAt} />.
                </Text>
                <Group align="flex-end" gap="xs" wrap="nowrap">
                  <TextInput ref={linkInput} label="Invitation link" value={created.link} readOnly style={{ flex: 1, minWidth: 0 }} onFocus={(event) => event.currentTarget.select()} />
                  <CopyButton value={created.link}>
                    {({ copied, copy }) => (
                      <Button variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
                        {copied ? 'Copied' : 'Copy link'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </Stack>
            ) : (
              <Text size="sm">An invitation email is on its way to {created.email}.</Text>
            )}
          </Alert>
        ) : null}
      </Stack>
    </Section>
  );
}

function PendingInvitationsSection() {
  const { data, loading, error, refetch } = useQuery(WebAdminPendingInvitationsDocument);
  const invitations = data?.organization.pendingInvitations ?? [];
  return (
    <Section title="Pending invitations">
      <QueryState loading={loading && !data} error={error} empty={invitations.length === 0} emptyText="No pending invitations." retry={() => void refetch()}>
        <DataTable label="Pending invitations" minWidth={620}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Invited by</Table.Th>
              <Table.Th>Sent</Table.Th>
              <Table.Th>Expires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>{invitation.email}</Table.Td>
                <Table.Td>{ROLE_LABELS[invitation.role]}</Table.Td>
                <Table.Td>{invitation.invitedBy?.name ?? '—'}</Table.Td>
                <Table.Td>
                  <When value={invitation.createdAt} />
                </Table.Td>
                <Table.Td>
                  <When value={invitation.expiresAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      </QueryState>
    </Section>
  );
}

function ChangeRoleModal({ member, isOwner, onClose, onChanged }: { member: AdminMemberFragment | null; isOwner: boolean; onClose: () => void; onChanged: (message: string) => void }) {
  const [mutate, { loading }] = useMutation(WebAdminChangeMemberRoleDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const roles = grantableRoles(isOwner);
  const form = useForm({
    initialValues: { role: 'VIEWER' as Role },
    validate: {
      role: (value) => {
        if (!roles.some((r) => r.value === value)) return 'Choose a role you may grant.';
        return member && value === member.role ? `${member.user.name} already has this role: choose another one.` : null;
      },
    },
  });

  // A new member to edit: start from their current role, with no leftover error.
  const memberId = member?.user.id;
  useEffect(() => {
    if (!member) return;
    form.setValues({ role: member.role });
    form.clearErrors();
    setGeneral(null);
    // Reset only when another member is opened (the form object changes on every render).
  }, [memberId]);

  const submit = form.onSubmit((values) =>
    userAction('change member role', async () => {
      if (!member) return;
      setGeneral(null);
      try {
        const result = await mutate({ variables: { input: { userId: member.user.id, role: values.role } } });
        if (!result.data) return;
        onChanged(`${member.user.name} is now ${ROLE_LABELS[result.data.changeMemberRole.role]}.`);
        onClose();
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );

  return (
    <Modal opened={member !== null} onClose={onClose} title={member ? `Change the role of ${member.user.name}` : 'Change role'} {...MODAL_PROPS}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          {member ? (
            <Text size="sm">
              {member.user.email} is {ROLE_LABELS[member.role]} now.
            </Text>
          ) : null}
          <NativeSelect label="New role" data={roles} required {...form.getInputProps('role')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              Save role
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RemoveMemberModal({ member, organization, onClose, onRemoved }: { member: AdminMemberFragment | null; organization: string; onClose: () => void; onRemoved: (message: string) => void }) {
  const [mutate, { loading }] = useMutation(WebAdminRemoveMemberDocument);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = () =>
    void userAction('remove member', async () => {
      if (!member) return;
      setError(null);
      try {
        await mutate({ variables: { userId: member.user.id } });
        onRemoved(`${member.user.name} is no longer a member.`);
        close();
      } catch (caught) {
        setError(errorMessage(caught));
      }
    });
  return (
    <ConfirmModal opened={member !== null} title={member ? `Remove ${member.user.name}?` : 'Remove member?'} confirmLabel="Remove member" loading={loading} error={error} onConfirm={confirm} onClose={close}>
      {member ? (
        <Text size="sm">
          {member.user.name} ({member.user.email}) loses access to {organization} at once, and their sessions end. You can invite them again later.
        </Text>
      ) : null}
    </ConfirmModal>
  );
}
