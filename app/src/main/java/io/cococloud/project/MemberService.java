package io.cococloud.project;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cococloud.admin.AdminAccount;
import io.cococloud.admin.AdminAccountService;
import io.cococloud.error.ConflictException;
import io.cococloud.error.ForbiddenException;
import io.cococloud.error.NotFoundException;

/** Who belongs to a project and in which role. A project always keeps at least one owner. */
@Service
class MemberService {

    private final ProjectMemberRepository members;
    private final AdminAccountService accounts;

    MemberService(ProjectMemberRepository members, AdminAccountService accounts) {
        this.members = members;
        this.accounts = accounts;
    }

    record MemberWithAccount(ProjectMember member, AdminAccount account) {}

    List<MemberWithAccount> list(UUID projectId) {
        List<ProjectMember> all = members.findByProjectIdOrderByCreatedAt(projectId);
        Map<UUID, AdminAccount> byId = accounts.findAll(all.stream().map(ProjectMember::accountId).toList())
                .stream().collect(Collectors.toMap(AdminAccount::id, Function.identity()));
        return all.stream().map(m -> new MemberWithAccount(m, byId.get(m.accountId()))).toList();
    }

    @Transactional
    MemberWithAccount changeRole(Membership caller, UUID memberId, Role role) {
        ProjectMember member = find(caller, memberId);
        requireMayGrant(caller, member.role(), null);
        requireMayGrant(caller, role, null);
        if (member.role() == Role.OWNER && role != Role.OWNER) {
            requireAnotherOwner(caller);
        }
        member.changeRole(role);
        members.updateRole(member);
        return new MemberWithAccount(member, accounts.get(member.accountId()));
    }

    @Transactional
    void remove(Membership caller, UUID memberId) {
        ProjectMember member = find(caller, memberId);
        requireMayGrant(caller, member.role(), null);
        if (member.role() == Role.OWNER) {
            requireAnotherOwner(caller);
        }
        members.delete(member);
    }

    private ProjectMember find(Membership caller, UUID memberId) {
        return members.find(caller.projectId(), memberId)
                .orElseThrow(() -> NotFoundException.of("Member " + memberId));
    }

    /**
     * Only an owner makes, unmakes or changes owners (members and invitations alike).
     *
     * @param field the request's field to name in the refusal, or null
     */
    static void requireMayGrant(Membership caller, Role role, String field) {
        if (role == Role.OWNER && caller.role() != Role.OWNER) {
            throw new ForbiddenException("Only an owner may grant, change or remove the owner role")
                    .with("field", field);
        }
    }

    private void requireAnotherOwner(Membership caller) {
        if (members.countByProjectIdAndRole(caller.projectId(), Role.OWNER) <= 1) {
            throw new ConflictException("A project needs at least one owner: make someone else owner first");
        }
    }
}
