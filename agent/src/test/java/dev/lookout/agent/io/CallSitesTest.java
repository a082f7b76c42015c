package dev.lookout.agent.io;

import static org.assertj.core.api.Assertions.assertThat;

import example.app.SiteCaller;
import org.springframework.lookoutfixture.Nested;
import org.junit.jupiter.api.Test;

class CallSitesTest {

  @Test
  void theFirstApplicationFrameIsNamedWithItsLine() {
    assertThat(SiteCaller.a()).isEqualTo("example.app.SiteCaller.a:" + SiteCaller.LINE_A);
    assertThat(SiteCaller.b()).isEqualTo("example.app.SiteCaller.b:" + SiteCaller.LINE_B);
    assertThat(SiteCaller.Other.a()).isEqualTo("example.app.SiteCaller$Other.a:" + SiteCaller.Other.LINE);
  }

  @Test
  void sitesTakenAgainAndInTurnKeepTheirOwnText() {
    for (int i = 0; i < 2_000; i++) {
      assertThat(SiteCaller.a()).isEqualTo("example.app.SiteCaller.a:" + SiteCaller.LINE_A);
      assertThat(SiteCaller.Other.a()).isEqualTo("example.app.SiteCaller$Other.a:" + SiteCaller.Other.LINE);
      assertThat(SiteCaller.b()).isEqualTo("example.app.SiteCaller.b:" + SiteCaller.LINE_B);
    }
    // kept, not made again: a site taken per request costs no line lookup and no new string
    assertThat(SiteCaller.a()).isSameAs(SiteCaller.a());
  }

  @Test
  void anApplicationFrameIsLookedForUpToEightFramesAboveTheFrameworksFirst() {
    String app = "example.app.SiteCaller.throughFramework:" + SiteCaller.LINE_THROUGH;
    assertThat(SiteCaller.throughFramework(1)).isEqualTo(app);
    // the framework's first frame, then seven of its own, then the application's: the eighth above
    assertThat(SiteCaller.throughFramework(8)).isEqualTo(app);
    // past that, the framework is doing its own work: its first frame is the site
    assertThat(SiteCaller.throughFramework(9))
        .isEqualTo("org.springframework.lookoutfixture.Nested.site:" + Nested.LINE);
    assertThat(SiteCaller.throughFramework(40))
        .isEqualTo("org.springframework.lookoutfixture.Nested.site:" + Nested.LINE);
  }
}
