package dev.weft.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeds on which the simulator once found a real bug in the core (or, marked so, in itself), kept so the
 * bugs stay fixed.
 */
class RegressionSeedsTest {

    @ParameterizedTest(name = "seed {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "12  | removal by a peer with a stale view clashed with the dead peer's last change: false conflict",
        "15  | recovery rejected a ring whose free count was briefly larger than a freshly split range",
        "17  | 20 consensus proposers pre-empted each other forever (Paxos livelock)",
        "24  | a crash before the first write left an empty store that recovery refused",
        "113 | a removed install's late-learned grant stayed with its tombstone (now its remover takes it)",
        "236 | a remover that later lost its data left a removed install's late range stranded",
        "303 | an exact claim was granted from a taken-over range still cooling down: duplicate address",
        "384 | a peer learned an entry naming it owner without the token ending it: duplicate address",
        "480 | a converged ring kept a stale end and count from an install that lost its data",
        "652 | a stale removal clashed with the grant the dead owner made before it died: false conflict",
        "6897 | a remover reported free counts on a range still cooling down, so its claim stopped yielding",
        "775 | consensus re-run by a peer that lost its data (sim now keeps wipes out of consensus mode)",
        "881 | every seed lost its data while an observer held the ring: a second cluster",
        "2141 | a remover of a removed remover took one side of a conflict as unchained: two owners",
        "3085 | the same through a conflict of two takeovers (none counts): two owners",
        "7111 | two removers of one running install each ended its rest on the hand-over alone: two owners",
        "842  | a rest settled late by the ring comparison became usable before its free count was reported",
        "4004 | the same (the ring's count of a range settled late differed from its owner's)",
        "7190 | the same",
        "4566 | a fenced peer refused the forced removal of an install whose pods it kept: leaked for ever",
        "5256 | (simulator) a message held 55 s after the heal failed the liveness probe",
        "5723 | (simulator) the forced removal through every peer skipped a peer that was down: leaked",
        "9943 | (simulator) pods deleted for a forced leave that crashed were never DEL'd: leaked",
        "6485 | a donor whose grant was on its way answered a gap query 'I own nothing': the reclaim took the range",
        "5167 | a space request held past its sender's leave was granted: space stranded on a gone install",
        "7183 | the same",
        "5624 | (simulator) a gap where a successor kept a live pod's address was reclaimed through others only",
        "2301 | a successor with a stale view ended its rest on time alone and used what its predecessor gave away",
        "7280 | the same (the predecessor's grant to a peer that had itself been succeeded)",
        "3457 | a forced remover compared rings with a stale majority, not the minority that knew a grant: duplicate",
        "3158 | the same; then its planned leave handed the range on as an ordinary claim: duplicate",
        "4349 | what was kept for a successor that lost its folder too was kept for ever: leaked",
        "2527 | a hand-over of this node's own pod was kept for the sender, and its successor's word freed it: lost",
        "1128 | (simulator) both observers, the last holders of the ring once the seeds had left, lost their folders",
        "1552 | a restored install's fence was memory-only: it stored the proof's entries, crashed, came back unfenced",
        "1555 | (simulator) the oracle counted a restored folder's hold of a pod released since: false duplicate",
        "642  | a stored restore proof raised its alarm only on new gossip: replaced after the clean-up, stranded",
        "6825 | a takeover retook an entry where the removed install's takeover claim lost to a live owner's claim",
        "4493 | a successor's lost range was judged as one piece: a false RANGE_LOST and a fenced live pod",
        "7439 | the same",
        "8574 | a rest waiting for equal rings with every install waited on others' random rounds: liveness",
        "2714 | the same",
        "3097 | a remover retook a late entry of an install it had removed with force, awaiting a hand-over: liveness",
        "6887 | (simulator) the clean-up settled the last conflict through a peer that knew itself removed",
        "4433 | (simulator) a pod of an install no surviving record names (double data loss) counted as lost",
        "117  | operator changes as segment exchanges: a request held past its sender's leave was granted: stranded",
        "1229 | the same",
        "1530 | operator changes as segment exchanges: a forced rest waited on others' random rounds: liveness",
        "466  | a restored remover heard its forgotten takeover as one side of a conflict, was not fenced, and granted a removed live install's pod's address: duplicate",
        "200  | (simulator) the same, one folder lost and the other restored from a copy older than the grant: a false duplicate",
        "7692 | an old forced rest's settlement re-timed a range taken over again since, still resting: two owners",
        "9732 | a hand-over sent before its host died and delivered after a forced removal kept a gone pod's address: leak",
        "11893 | (simulator) a folder restored from a copy older than its succession left the earlier install's ranges to no one: stranded",
        "10762 | a live peer's last, empty hand-over went only to the peers up then: a keeper that was down kept a released pod's address: leak",
        "7901 | (simulator) the hand-overs' documented limit: the releaser crashed 56 ms after releasing a pod it had handed over, and its keeper was never told: a leak the oracle excuses (Retractions)",
        "9083 | (simulator) the same, the releaser dying 1.2 s after the release",
        "6321 | a delta brought a range the predecessor gave away without the part it kept after it: that gap, judged with the given range, raised a false RANGE_LOST on the successor",
        "18705 | a seed that had heard a reachable observer holds the ring founded a second cluster beside it (and, simulator, the folder of a restored seed was moved aside while the other seed had forgotten the cluster too)",
        "3987 | (simulator) a seed fenced as restored, whose folder the operator may not move aside (the last seed's that knows the cluster), was held to true free counts it does not report",
        "6717 | (simulator) the same",
    })
    void staysFixed(long seed, String bug) {
        new Simulation(SimConfig.random(seed, 3, 20)).run();
    }
}
