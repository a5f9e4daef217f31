package io.cococloud.project;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.ConflictException;
import io.cococloud.error.NotFoundException;

/**
 * Invitations to join a project. Adding a member by email used to answer 404 for an unknown address and 201 for
 * a known one, which told any project admin who has a console account, and made people members without asking.
 * Now an admin invites an address and always gets the same answer; the account with that address sees the
 * invitation (with the project's name) and accepts or declines it. Invitations expire after a week.
 */
@Service
class Invitations {

    static final Duration VALID_FOR = Duration.ofDays(7);
    /** Pending invitations a project may have at once: enough for a team, not a mailing list. */
    static final int MAX_PENDING = 100;

    private final JdbcClient db;
    private final ProjectMemberRepository members;
    private final ProjectRepository projects;

    Invitations(JdbcClient db, ProjectMemberRepository members, ProjectRepository projects) {
        this.db = db;
        this.members = members;
        this.projects = projects;
    }

    record Invitation(UUID id, UUID projectId, String email, Role role, Instant createdAt, Instant expiresAt) {}

    /** An invitation addressed to me, with the project it would make me a member of. */
    record Received(Invitation invitation, Project project) {}

    /**
     * Invites the address (again: a newer invitation replaces an older one). The answer is the same whether or
     * not a console account has the address; inviting someone who is already a member is a conflict, which tells
     * the admin nothing the member list does not.
     */
    @Transactional
    Invitation invite(Membership caller, UUID invitedBy, String email, Role role) {
        MemberService.requireMayGrant(caller, role, "role");
        String address = email.strip();
        boolean member = db.sql("""
                SELECT 1 FROM project_members m JOIN admin_accounts a ON a.id = m.account_id
                WHERE m.project_id = ? AND lower(a.email) = lower(?)""")
                .params(caller.projectId(), address).query().singleColumn().size() > 0;
        if (member) {
            throw new ConflictException(address + " is already a member of this project").with("field", "email");
        }
        int pending = db.sql("""
                SELECT count(*) FROM project_invitations
                WHERE project_id = ? AND expires_at > now() AND lower(email) <> lower(?)""")
                .params(caller.projectId(), address).query(Integer.class).single();
        if (pending >= MAX_PENDING) {
            throw new ConflictException("The project has " + MAX_PENDING + " pending invitations, the most it may"
                    + " have: revoke some, or wait for them to be accepted or to expire");
        }
        Instant now = Instant.now();
        return db.sql("""
                INSERT INTO project_invitations (project_id, id, email, role, invited_by, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id, lower(email)) DO UPDATE
                SET id = excluded.id, role = excluded.role, invited_by = excluded.invited_by,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                RETURNING *""")
                .params(caller.projectId(), UUID.randomUUID(), address, role.json(), invitedBy,
                        Timestamp.from(now), Timestamp.from(now.plus(VALID_FOR)))
                .query(Invitations::invitation).single();
    }

    List<Invitation> pending(UUID projectId) {
        return db.sql("SELECT * FROM project_invitations WHERE project_id = ? AND expires_at > now() ORDER BY created_at")
                .params(projectId).query(Invitations::invitation).list();
    }

    @Transactional
    void revoke(UUID projectId, UUID invitationId) {
        if (db.sql("DELETE FROM project_invitations WHERE project_id = ? AND id = ?").params(projectId, invitationId)
                .update() == 0) {
            throw NotFoundException.of("Invitation " + invitationId);
        }
    }

    List<Received> addressedTo(AdminPrincipal me) {
        return db.sql("""
                SELECT * FROM project_invitations WHERE lower(email) = lower(?) AND expires_at > now()
                ORDER BY created_at""")
                .params(me.email()).query(Invitations::invitation).list().stream()
                .flatMap(i -> projects.findById(i.projectId()).map(p -> new Received(i, p)).stream()).toList();
    }

    /** Makes me a member in the invitation's role; the invitation is used up. */
    @Transactional
    Received accept(AdminPrincipal me, UUID invitationId) {
        Invitation invitation = takeMine(me, invitationId);
        if (members.findByProjectIdAndAccountId(invitation.projectId(), me.accountId()).isEmpty()) {
            members.insert(new ProjectMember(invitation.projectId(), me.accountId(), invitation.role()));
        }
        return new Received(invitation, projects.findById(invitation.projectId()).orElseThrow());
    }

    @Transactional
    void decline(AdminPrincipal me, UUID invitationId) {
        takeMine(me, invitationId);
    }

    /** An unexpired invitation addressed to me, deleted: accepted or declined, it is used up either way. */
    private Invitation takeMine(AdminPrincipal me, UUID invitationId) {
        Optional<Invitation> found = db.sql("""
                SELECT * FROM project_invitations WHERE id = ? AND lower(email) = lower(?) AND expires_at > now()""")
                .params(invitationId, me.email()).query(Invitations::invitation).optional();
        Invitation invitation = found.orElseThrow(() -> NotFoundException.of("Invitation " + invitationId));
        db.sql("DELETE FROM project_invitations WHERE project_id = ? AND id = ?")
                .params(invitation.projectId(), invitation.id()).update();
        return invitation;
    }

    private static Invitation invitation(ResultSet rs, int row) throws SQLException {
        return new Invitation(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
                rs.getString("email"), Role.fromJson(rs.getString("role")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant());
    }
}
